"""
Spam and abuse rules for reader comments.

Two kinds of rule. Some refuse a submission outright, and the reader is told
why and may try again: a filled honeypot, a form sent too fast or too long
after it was opened or sent twice, too many comments from one client in a
minute, the same comment twice. Others let the comment in but hold it as ``spam`` with the
reasons recorded, for a moderator to confirm: too many links, a blocklisted
word, a body made mostly of URLs. Nothing is dropped without a word.

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

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from geopolitics.middleware import client_ip

from .models import Comment, UsedFormToken

logger = logging.getLogger(__name__)

FORM_TOKEN_SALT = "comments.form-token"  # noqa: S105 (a signing salt, not a secret)
URL_PATTERN = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)


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


# --- Refusals ---------------------------------------------------------------------

RATE_LIMITED = (
    "You have sent several comments in the last minute. "
    "Please wait a minute, then send this one again."
)
DUPLICATE = "You sent this same comment a few minutes ago; it is already waiting for a moderator."


REPORT_RATE_LIMITED = (
    "You have reported many comments in the last hour. "
    "Please wait, or write to the newsroom if something is urgent."
)


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
    return _count(f"comments:rate:{ip_hash or 'unknown'}", 60) <= limit


def allow_report_from(ip_hash):
    """Count one report for this client; False once it is over ``COMMENTS_REPORT_RATE_LIMIT``
    an hour. With the cache down it allows: a report only ever alerts a moderator."""
    try:
        count = _count(f"comments:report-rate:{ip_hash or 'unknown'}", 3600)
    except CacheUnavailable:
        return True
    return count <= settings.COMMENTS_REPORT_RATE_LIMIT


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


def is_duplicate(*, email, body):
    """The same e-mail sent the same words within ``COMMENTS_DUPLICATE_WINDOW``, on any article.

    A friendly early check; ``fingerprint()`` and its unique constraint are
    what make it hold when copies arrive at the same instant.
    """
    since = timezone.now() - datetime.timedelta(seconds=settings.COMMENTS_DUPLICATE_WINDOW)
    return Comment.objects.by_email(email).filter(body=body.strip(), created_at__gte=since).exists()


def fingerprint(*, article_id, email, body):
    """A keyed hash of (article, e-mail in any case, body with whitespace and case folded).

    Unique per article while the comment stands (pending, approved or held):
    the same words from the same address on the same article are a duplicate
    however long ago the first was sent. A moderator's removal blanks it, so
    the reader may send the words again after a rejection.
    """
    normalised = " ".join(body.split()).casefold()
    value = f"{article_id}\n{(email or '').strip().lower()}\n{normalised}"
    return salted_hmac("comments.fingerprint", value, algorithm="sha256").hexdigest()


# --- Holds --------------------------------------------------------------------------


def held_reasons(body):
    """The reasons, if any, to hold this body as spam for a moderator to check."""
    reasons = []
    urls = URL_PATTERN.findall(body)
    if len(urls) > settings.COMMENTS_MAX_LINKS:
        reasons.append(Comment.HoldReason.TOO_MANY_LINKS)
    if _blocklisted(body):
        reasons.append(Comment.HoldReason.BLOCKLISTED_WORD)
    visible = sum(len(word) for word in body.split())
    if urls and sum(len(url) for url in urls) * 2 > visible:
        reasons.append(Comment.HoldReason.MOSTLY_LINKS)
    return [str(reason) for reason in reasons]


def _blocklisted(body):
    for phrase in filter(None, (p.strip() for p in settings.COMMENTS_BLOCKLIST)):
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", body, re.IGNORECASE):
            return True
    return False


class DuplicateComment(Exception):
    """The same words from the same address already stand on this article."""
