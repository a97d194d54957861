"""
Who is sending a comment or a report, and whether they may send it now.

Everything here is about the client, never about the words: the signed,
single-use form token (when the form was handed out, and that it posts once),
whether the browser says the form came from another site, the keyed hash of
the client's address, the commenter's proof of an address (``commenter_proof``
cookie, ``commenters.py``), and the per-client rate limits. The rules that hold
a comment for a moderator are in ``policy.py``.

The cache (Redis in production) only ever counts: when it cannot be reached,
a comment is held for moderation rather than refused, and a report is taken.
"""

import base64
import datetime
import hashlib
import hmac
import logging
import re
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from geopolitics.middleware import client_ip

from . import commenters
from .models import UsedFormToken, normalise_email

logger = logging.getLogger(__name__)

FORM_TOKEN_SALT = "comments.form-token"  # noqa: S105 (a signing salt, not a secret)


def clock():
    """Seconds since the epoch; tests build tokens from it rather than waiting."""
    return time.time()


# --- The signed form timestamp ------------------------------------------------


class FormTokenError(Exception):
    """The form cannot be accepted as sent; ``str()`` is the message for the reader."""


TOO_FAST = "That was quicker than anyone can type. Please wait a few seconds and send it again."
EXPIRED = "This form was opened more than a day ago. Please send your comment again."
TAMPERED = "This form could not be checked. Please send your comment again."
REUSED = (
    "This form has already sent a comment. If this is another one, please send it again "
    "with the form below."
)


# An unbound form carries this instead of a token; the page cache middleware
# (articles/page_cache.py) puts a fresh token in its place in every response,
# so a page served from the cache still gives each reader a token of their own.
FORM_TOKEN_PLACEHOLDER = "comment-form-token-placeholder"  # noqa: S105 (not a secret)


def issue_form_token(*, issued_at=None, nonce=None):
    """A signed record of when the form was handed out, with a nonce that makes it single-use.

    ``<seconds>.<nonce>.<mac>``: an HMAC-SHA256 under a key derived once per
    secret. Every page served, cached or not, carries a fresh one, so it is
    kept cheaper than ``signing.dumps`` (issue 8: about 4 µs instead of 22).
    """
    issued_at = clock() if issued_at is None else issued_at
    message = f"{int(issued_at)}.{nonce or secrets.token_hex(16)}"
    return f"{message}.{_form_token_mac(message, settings.SECRET_KEY)}"


def check_form_token(token):
    """The token's nonce; raise ``FormTokenError`` unless it was opened between 3 s and a day ago.

    Tokens signed with a key in ``SECRET_KEY_FALLBACKS`` still pass, so that
    rotating the secret does not refuse the forms readers have open. Whether
    the nonce was already spent is decided by ``spend_form_token``,
    atomically with the comment's insert.
    """
    stamp, nonce, mac = _form_token_parts(token)
    message = f"{stamp}.{nonce}"
    secrets_in_use = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    if not any(
        hmac.compare_digest(mac, _form_token_mac(message, secret)) for secret in secrets_in_use
    ):
        raise FormTokenError(TAMPERED)
    age = clock() - int(stamp)
    if age < settings.COMMENTS_MIN_SUBMIT_SECONDS:
        raise FormTokenError(TOO_FAST)
    if age > settings.COMMENTS_MAX_FORM_AGE:
        raise FormTokenError(EXPIRED)
    return nonce


FORM_TOKEN_PATTERN = re.compile(r"([0-9]{1,12})\.([0-9a-f]{32})\.([A-Za-z0-9_-]{43})")


def _form_token_parts(token):
    match = FORM_TOKEN_PATTERN.fullmatch(token or "") if isinstance(token, str) else None
    if match is None:
        raise FormTokenError(TAMPERED)
    return match.groups()


_form_token_keys = {}


def _form_token_mac(message, secret):
    key = _form_token_keys.get(secret)
    if key is None:
        # As salted_hmac derives its key, done once per secret rather than per token.
        key = _form_token_keys[secret] = hashlib.sha256(
            f"{FORM_TOKEN_SALT}{secret}".encode()
        ).digest()
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def spend_form_token(nonce):
    """Record the nonce as used.

    Call inside the transaction that stores the comment: the unique nonce
    makes a second use wait for the first and then fail with ``IntegrityError``,
    even at the same instant, which rolls the whole transaction back (no
    savepoint: a post is on the path a crowd takes); ``form_token_was_spent``
    then tells the caller why. Nonces older than any form that may still be
    sent are deleted about once in 256 posts (the nonce is random), which
    keeps the table small without a sweep on every post.
    """
    if nonce.endswith("00"):
        expired = timezone.now() - datetime.timedelta(seconds=settings.COMMENTS_MAX_FORM_AGE + 60)
        UsedFormToken.objects.filter(used_at__lt=expired).delete()
    UsedFormToken.objects.create(nonce=nonce)


def form_token_was_spent(nonce):
    return UsedFormToken.objects.filter(nonce=nonce).exists()


# --- Where the form was sent from ------------------------------------------------


def from_another_site(request):
    """True when the browser says the post comes from another site's page.

    The comment and report forms carry no CSRF token, so that a page served
    from the cache works for every reader; they need none, since they act for
    no account. What is left of cross-site request forgery, another site
    making a reader's browser post in their name, is refused here from the
    Origin (or Referer) header that browsers send with a form post.
    """
    claimed = request.headers.get("Origin") or request.headers.get("Referer")
    if not claimed:
        return False  # not sent by a browser's form: there is nobody to forge for
    if claimed == "null":
        return True  # an opaque origin: a sandboxed frame or a data: page
    try:
        ours = f"{request.scheme}://{request.get_host()}"
    except Exception:
        return True
    trusted = [ours, *settings.CSRF_TRUSTED_ORIGINS]
    return not any(claimed == origin or claimed.startswith(origin + "/") for origin in trusted)


# --- Who is sending -------------------------------------------------------------


def client_address(request):
    """The client's IP as the whole site counts it (``TRUSTED_PROXY_HOPS``)."""
    return client_ip(request)


def hash_ip(address):
    """A keyed hash of an IP address: stable for rate limits, useless without the key."""
    if not address:
        return ""
    key = settings.COMMENTS_IP_HASH_KEY
    if key:
        return hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()
    return salted_hmac("comments.ip-hash", address, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class Client:
    """Who sent a post or a report, as far as the request tells: the keyed hash of
    their address, whether the form came from another site, and the e-mail address
    this browser proved through a mailed link (empty when none)."""

    ip_hash: str
    from_another_site: bool = False
    proven_email: str = ""

    @classmethod
    def of(cls, request):
        return cls(
            ip_hash=hash_ip(client_address(request)),
            from_another_site=from_another_site(request),
            proven_email=commenters.proven_email(request),
        )

    def proves(self, email):
        """True when this browser proved ``email`` (any case) before."""
        return bool(self.proven_email) and self.proven_email == normalise_email(email)


# --- Refusals ---------------------------------------------------------------------

RATE_LIMITED = (
    "You have sent several comments in the last minute. "
    "Please wait a minute, then send this one again."
)

# Said when a client may send only one comment a minute (strict mode, to a new commenter).
SLOWED = (
    "Comments on this article are slowed for now. Please wait a minute, then send this one again."
)
COMMENT_WINDOW = 60  # seconds: the comment rate limit's window, and a refused post's Retry-After
REPORT_WINDOW = 3600  # seconds: the same for reports

REPORT_RATE_LIMITED = (
    "You have reported many comments in the last hour. "
    "Please wait, or write to the newsroom if something is urgent."
)


class RateLimited(Exception):
    """The client sent more than its limit; ``str()`` is the message for the reader."""


def rate_limited_message(limit):
    """What a reader over ``limit`` comments a minute is told: "several" only when it is."""
    return RATE_LIMITED if limit > 1 else SLOWED


class CacheUnavailable(Exception):
    """The cache that holds the rate limits could not be reached."""


def allow_comment_from(ip_hash, *, limit=None):
    """Count one comment for this client; False once it is over the per-minute limit
    (``limit``, by default ``COMMENTS_RATE_LIMIT``).

    The count lives in the cache, so it is shared by every server process when
    the cache is Redis. The window starts at the client's first comment.
    Raises ``CacheUnavailable`` when the cache is down: the caller holds the
    comment for moderation rather than lose it.
    """
    limit = settings.COMMENTS_RATE_LIMIT if limit is None else limit
    return _count(f"comments:rate:{ip_hash or 'unknown'}", COMMENT_WINDOW) <= limit


def allow_report_from(ip_hash, *, limit=None):
    """Count one report for this client; False once it is over ``limit`` (by default
    ``COMMENTS_REPORT_RATE_LIMIT``) an hour. With the cache down it allows: a report
    is only ever counted, never acted on, for an address alone."""
    try:
        count = _count(f"comments:report-rate:{ip_hash or 'unknown'}", REPORT_WINDOW)
    except CacheUnavailable:
        return True
    return count <= (settings.COMMENTS_REPORT_RATE_LIMIT if limit is None else limit)


def _count(key, window):
    """Add one to a counter that lives ``window`` seconds from its first hit; the new count."""
    try:
        if cache.add(key, 1, timeout=window):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=window)
            return 1
    except Exception as error:  # any backend's connection error: redis, memcached, …
        logger.warning("Rate limit cache unavailable (%s): %s", type(error).__name__, error)
        raise CacheUnavailable from error
