"""
Public pages rendered once and reused until something they show changes.

Two layers, both in the default cache (Redis with ``REDIS_URL``, process
memory otherwise), both keyed by one **generation** number rather than by
time alone:

- **Rendering**: the expensive part of an article page (body, contents,
  author box, related reading, approved discussion) is rendered once per
  generation and reused whatever the URL's query string
  (``cached_fragment``). The comment form is rendered per request.
- **Whole pages** (``AnonymousPageCacheMiddleware``): an anonymous GET of a
  public page is answered from the cache when the same URL was rendered in
  the same generation. Responses that carry a cookie, a session, a message
  or a form error are never stored, and readers who have a session or a
  message waiting are never served from it.

Every change a reader could see calls ``content_changed()`` (publishing,
editing, unpublishing, a moderation decision, an author or tag edit), which
moves the generation on once the transaction commits: the very next request
renders afresh. Time is the one thing no call announces, so the generation
also moves on when the next scheduled publication time has passed
(``next_change_at``).

With Redis, processes learn of a new generation through a subscription
(``page_generation``) rather than a round trip per request.

Per-reader values inside a cached page (the comment form's signed token) are
written as placeholders and filled in on every response (``register_slot``).
"""

import contextlib
import datetime
import hashlib
import logging
import re
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control

from . import page_generation
from .models import Article

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
NEXT_CHANGE_KEY = "pages:next-change:{generation}"

_slots = {}


class CacheUnavailable(Exception):
    """The cache cannot be reached: render without it."""


def register_slot(placeholder, make_value):
    """Replace ``placeholder`` (bytes) in every HTML response with ``make_value()``."""
    _slots[placeholder] = make_value


def find_slots(content):
    """``[(offset, placeholder)]`` of the registered placeholders in ``content``, in order."""
    found = []
    for placeholder in _slots:
        start = content.find(placeholder)
        while start != -1:
            found.append((start, placeholder))
            start = content.find(placeholder, start + len(placeholder))
    return sorted(found)


def fill_slots(content, slots=None):
    """``content`` with each placeholder replaced by its value, made afresh.

    ``slots`` (from ``find_slots``) saves searching a page's bytes for them:
    a stored page knows where they are, and a hit then copies its bytes once.
    """
    slots = find_slots(content) if slots is None else slots
    if not slots:
        return content
    view, pieces, done = memoryview(content), [], 0
    for start, placeholder in slots:
        pieces += [view[done:start], _slots[placeholder]().encode()]
        done = start + len(placeholder)
    pieces.append(view[done:])
    return b"".join(pieces)


def generation():
    """The current generation; raises ``CacheUnavailable`` when the cache is down.

    A scheduled article going public is a change nobody announces, so the
    generation also moves on by itself once the next scheduled publication
    time (looked up once per generation) has passed.
    """
    global _may_have_missed_a_change
    try:
        current = page_generation.watched(lambda: cache.get(GENERATION_KEY), _move_on_here)
        if current is None:
            # Start from the clock, in microseconds, so a cache that lost this
            # key never returns to a number whose pages may still be stored
            # (in Redis, or in a process's LOCAL_PAGES): that would take more
            # than one change a microsecond since the last start.
            cache.add(GENERATION_KEY, int(time.time() * 1_000_000), timeout=None)
            current = cache.get(GENERATION_KEY)
            _may_have_missed_a_change = current is None
        elif _may_have_missed_a_change and _next_generation():
            _may_have_missed_a_change = False
            current = cache.get(GENERATION_KEY)
        if current is None:
            raise CacheUnavailable
        upcoming = next_change_at(current)
        if upcoming is not None and timezone.now() >= upcoming:
            # Only the first request to notice moves it on; the rest use its number.
            if cache.add(f"pages:passed:{current}", 1, timeout=settings.PAGE_CACHE_SECONDS):
                _next_generation()
            current = cache.get(GENERATION_KEY) or current
    except CacheUnavailable:
        _may_have_missed_a_change = True
        raise
    except Exception as error:  # any cache backend error: Redis down, timeout
        _may_have_missed_a_change = True
        logger.warning("page cache unavailable: %s", error)
        raise CacheUnavailable from error
    return current


# True while this process may have missed a change: it has just started (a
# change made while no process was running, or a deploy with new templates,
# left pages in Redis that it cannot tell from fresh ones), or the cache was
# unreachable when something changed (the generation could not move on, and
# the pages stored before the outage would come back with the cache). The
# first time it reaches the cache again, it moves the generation on itself.
_may_have_missed_a_change = True


def content_changed():
    """Something readers see changed: render every page afresh.

    The generation moves on now, for the next request of this process, and
    again once the transaction commits, so that a page rendered by another
    request between the two (from the old rows) is not kept.
    """
    _next_generation()
    transaction.on_commit(_next_generation)


def _move_on_here():
    """Another process changed something; this process's own cache moves on (no Redis)."""
    with contextlib.suppress(ValueError):  # no generation yet: the next request starts one
        cache.incr(GENERATION_KEY)


def _next_generation():
    """Move the generation on; False when the cache is unreachable (moved on once it is
    back, by ``generation()``)."""
    global _may_have_missed_a_change
    try:
        with contextlib.suppress(ValueError):  # no generation yet: the next request starts one
            cache.incr(GENERATION_KEY)
        page_generation.announce()  # even then: processes may still hold the lost number
    except Exception:  # never let a cache outage fail an editor's or moderator's work
        _may_have_missed_a_change = True
        logger.exception("could not invalidate the page cache")
        return False
    return True


# This process's copy of the current generation's next_change_at, which
# never changes within a generation: a hit then costs one round trip, not two.
_local_next_change = {}


def next_change_at(current_generation):
    """The next moment a scheduled article becomes public (or None), cached per generation."""
    key = NEXT_CHANGE_KEY.format(generation=current_generation)
    found = _local_next_change.get(key)
    if found is None:
        found = cache.get(key)
    if found is None:
        moment = (
            Article.objects.filter(
                status__in=Article.PUBLIC_STATES, published_at__gt=timezone.now()
            )
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        found = moment.timestamp() if moment else 0
        cache.set(key, found, timeout=settings.PAGE_CACHE_SECONDS)
    if key not in _local_next_change:
        _local_next_change.clear()  # only the current generation's is ever asked for
        _local_next_change[key] = found
    return datetime.datetime.fromtimestamp(found, tz=datetime.UTC) if found else None


# What this process rendered or fetched last, by key (which names the
# generation): a hit then costs one round trip to the cache (the generation),
# not two, and no copying of a page out of Redis. A new generation makes every
# entry unreachable; the oldest go when there are more than LOCAL_ENTRIES
# (pages and fragments of about 35 KB: a few MB a process).
LOCAL_ENTRIES = 200


class RecentCopies(OrderedDict):
    """What this process used last, by key: at most ``limit`` entries, the oldest
    going first. Keys name the generation, so an entry is never stale."""

    def __init__(self, limit=LOCAL_ENTRIES):
        super().__init__()
        self.limit = limit

    def remember(self, key, value):
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


_local = RecentCopies()


def _get(key):
    """The value stored under ``key``, from this process's copies or the cache."""
    found = _local.get(key)
    if found is None:
        found = cache.get(key)
        if found is not None:
            _local.remember(key, found)
    return found


def _set(key, value):
    cache.set(key, value, timeout=settings.PAGE_CACHE_SECONDS)
    _local.remember(key, value)


def cached_fragment(name, *parts, render):
    """``render()``'s result for ``(name, *parts)`` in this generation, rendered at most once.

    With the cache unreachable (or ``PAGE_CACHE_ENABLED`` off) it renders
    every time: slower, never wrong.
    """
    if not settings.PAGE_CACHE_ENABLED:
        return render()
    try:
        current = generation()
    except CacheUnavailable:
        return render()
    key = ":".join(["fragment", name, str(current), *map(str, parts)])
    try:
        found = _get(key)
    except Exception:
        return render()
    if found is None:
        found = render()
        try:
            _set(key, found)
        except Exception:
            logger.warning("could not store a rendered fragment")
    return found


# --- Whole pages ----------------------------------------------------------------

PRIVATE_COOKIES = ("sessionid", "messages")


def is_anonymous(request):
    """No session and no message waiting: what this reader is sent is what anyone is sent."""
    names = (settings.SESSION_COOKIE_NAME, *PRIVATE_COOKIES)
    return not any(name in request.COOKIES for name in names)


# The only query strings a whole page is kept for: none, or one page number
# (a list's ``page``, a discussion's ``comments``). Searches, reply and
# section links and any other parameter are rendered per request (the
# article body still comes from the rendering cache), so that random query
# strings, or random searches, cannot fill the cache with copies of pages.
CACHEABLE_QUERY = re.compile(r"^(?:(?:page|comments)=[1-9][0-9]{0,2})?$")


def _may_serve_from_cache(request):
    if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_ENABLED:
        return False
    if not CACHEABLE_QUERY.match(request.META.get("QUERY_STRING", "")):
        return False
    return is_anonymous(request)


def _may_store(request, response):
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.cookies
        and not response.streaming
        and not getattr(response, "page_cache_exempt", False)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and response.get("Content-Type", "").startswith(
            ("text/html", "application/rss+xml", "application/atom+xml", "application/xml")
        )
    )


def exempt(response):
    """Mark a response as never to be stored (a preview, a page with errors)."""
    response.page_cache_exempt = True
    return response


class StoredPage:
    """What a hit needs of a rendered page: status, headers (validators included), body.

    Cheaper to store, fetch and turn back into a response than a pickled
    ``HttpResponse``. The body still holds the per-reader placeholders.
    """

    __slots__ = ("status", "headers", "content", "slots")

    def __init__(self, response):
        self.status = response.status_code
        # ResponseHeaders' own store: names and values already checked and
        # encoded when the page was rendered, so a hit need not do it again
        # (a dozen headers cost more than the rest of building the response).
        self.headers = {**response.headers._store, "x-page-cache": ("X-Page-Cache", "hit")}
        self.content = response.content
        # Where the per-reader values go: searching 35 KB for them on every
        # hit cost a fifth of the hit (issue 8).
        self.slots = find_slots(self.content)

    def __getstate__(self):
        return (self.status, self.headers, self.content, self.slots)

    def __setstate__(self, state):
        self.status, self.headers, self.content, *slots = state
        # A page stored by a version that did not record its slots.
        self.slots = slots[0] if slots else find_slots(self.content)

    def response(self):
        response = HttpResponse(self.content, status=self.status)
        response.headers._store.update(self.headers)
        response.page_slots = self.slots
        return response


class AnonymousPageCacheMiddleware:
    """Serve anonymous readers whole pages from the cache; see the module docstring.

    It is the first middleware, so a hit costs about what a plain Django
    view does: one cache round trip, a response built from stored bytes, a
    fresh form token, and nothing else (no URL resolving, sessions,
    authentication or templates). The stored page already carries the headers
    every middleware below added when it was rendered (security headers, CSP,
    validators). A host Django refuses, or a cache that cannot be reached,
    simply means no caching for that request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = None
        if _may_serve_from_cache(request):
            try:
                current = generation()
                host = request.get_host().lower()
                where = f"{request.scheme}://{host}{request.get_full_path()}"
                key = f"page:{current}:{hashlib.blake2b(where.encode()).hexdigest()}"
                stored = _get(key)
            except Exception:
                key, stored = None, None
            if isinstance(stored, StoredPage):
                return self._answer(request, stored.response())
        response = self.get_response(request)
        public = self._mark(request, response)
        if public and key is not None and _may_store(request, response):
            try:
                response["X-Page-Cache"] = "miss"
                _set(key, StoredPage(response))
            except Exception:
                logger.warning("could not store a page in the cache")
        return self._answer(request, response) if public else self._fill(response)

    def _mark(self, request, response):
        """Validators and caching headers; True when the response is the same for everyone."""
        public = (
            request.method in ("GET", "HEAD")
            and is_anonymous(request)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not getattr(response, "page_cache_exempt", False)
        )
        if public:
            # The tag is taken before per-reader values are filled in, so it
            # names the page every reader of this generation is sent.
            # SHA-256 runs in hardware on current CPUs: twice as fast as blake2b here.
            response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            if "Cache-Control" not in response:
                patch_cache_control(
                    response,
                    public=True,
                    max_age=settings.PAGE_CACHE_CLIENT_SECONDS,
                    stale_while_revalidate=settings.PAGE_CACHE_CLIENT_SECONDS,
                )
        elif not response.streaming and (
            response.cookies
            or getattr(response, "page_cache_exempt", False)
            or request.method == "POST"
            or (not is_anonymous(request) and "Cache-Control" not in response)
        ):
            # A form with errors echoes what the reader typed, and a page for a
            # logged-in editor is theirs: keep both out of every shared cache.
            patch_cache_control(response, private=True, no_store=True)
        return public

    def _answer(self, request, response):
        """A public page: 304 when the reader has this version, else with its per-reader values."""
        if response["ETag"] in request.META.get("HTTP_IF_NONE_MATCH", ""):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary", "Content-Security-Policy"):
                if header in response:
                    not_modified[header] = response[header]
            return not_modified
        return self._fill(response)

    @staticmethod
    def _fill(response):
        if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
            response.content = fill_slots(response.content, getattr(response, "page_slots", None))
            if "Content-Length" in response:  # set for the placeholders' length
                response["Content-Length"] = str(len(response.content))
        return response
