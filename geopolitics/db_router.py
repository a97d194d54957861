"""Public reads from a PostgreSQL replica; everything else on the primary.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database, this
router and ``ReplicaRoutingMiddleware``. Reads go to the replica only inside
a request the middleware judged public: a GET, HEAD or OPTIONS outside the
admin from a client that has not just written. Everything else reads the
primary: writes (and ``select_for_update``, ``get_or_create``), the admin,
any POST, the requests of a client during ``DATABASE_REPLICA_PIN_SECONDS``
after its last POST (read-your-writes despite replication lag), and all code
outside a request (commands, the task worker, the shell).

The replica's schema arrives by replication: ``migrate`` never runs on it.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# Set on the response to any unsafe request; while the browser holds it, that
# client reads from the primary. It carries no secret: a client forging it
# merely reads fresher data.
PIN_COOKIE = "read_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_replica_allowed = contextvars.ContextVar("replica_allowed", default=False)


@contextmanager
def replica_reads():
    """Let reads in this block go to the replica (the middleware's public requests)."""
    token = _replica_allowed.set(True)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


def replica_configured():
    return REPLICA in connections


class PrimaryReplicaRouter:
    """Reads on the replica inside ``replica_reads()``; all else on the primary."""

    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # related rows come from where the object came from
        if _replica_allowed.get() and replica_configured():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def reads_may_use_replica(request):
    """True for a public read: a safe method, outside the admin, from an unpinned client."""
    return (
        request.method in SAFE_METHODS
        and not request.path_info.startswith(_admin_prefix())
        and PIN_COOKIE not in request.COOKIES
    )


def _admin_prefix():
    from django.urls import reverse

    return reverse("admin:index")


class ReplicaRoutingMiddleware:
    """Route a request's reads (see the module docstring) and pin writers to the primary.

    Put it before anything that reads the database (sessions, auth), so that
    the whole request reads from one place.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if reads_may_use_replica(request):
            with replica_reads():
                return self.get_response(request)
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
