"""
Spam and abuse rules for reader comments.

Two kinds of rule. Some refuse a submission outright, and the reader is told
why and may try again: a filled honeypot, a form sent too fast or too long
after it was opened, too many comments from one client in a minute, the same
comment twice. Others let the comment in but hold it as ``spam`` with the
reasons recorded, for a moderator to confirm: too many links, a blocklisted
word, a body made mostly of URLs. Nothing is dropped without a word.
"""

import datetime
import hashlib
import hmac
import re
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import Comment

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


def issue_form_token(*, issued_at=None):
    """A signed record of when the form was handed out."""
    issued_at = clock() if issued_at is None else issued_at
    return signing.dumps({"t": int(issued_at)}, salt=FORM_TOKEN_SALT, compress=False)


def check_form_token(token):
    """Raise ``FormTokenError`` unless the form was opened between 3 s and a day ago."""
    try:
        issued_at = int(signing.loads(token or "", salt=FORM_TOKEN_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise FormTokenError(TAMPERED) from None
    age = clock() - issued_at
    if age < settings.COMMENTS_MIN_SUBMIT_SECONDS:
        raise FormTokenError(TOO_FAST)
    if age > settings.COMMENTS_MAX_FORM_AGE:
        raise FormTokenError(EXPIRED)


# --- Who is sending -------------------------------------------------------------


def client_address(request):
    """The client's IP. X-Forwarded-For counts only behind a proxy we trust."""
    if settings.COMMENTS_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # Our proxy appends the address it saw; anything before it is the client's say-so.
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")


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


def allow_comment_from(ip_hash):
    """Count one comment for this client; False once it is over the per-minute limit.

    The count lives in the cache, so it is shared by every server process when
    the cache is Redis. The window starts at the client's first comment.
    """
    key = f"comments:rate:{ip_hash or 'unknown'}"
    if cache.add(key, 1, timeout=60):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=60)
        return True
    return count <= settings.COMMENTS_RATE_LIMIT


def is_duplicate(*, email, body):
    """The same e-mail sent the same words within the last ten minutes."""
    since = timezone.now() - datetime.timedelta(seconds=settings.COMMENTS_DUPLICATE_WINDOW)
    return Comment.objects.by_email(email).filter(body=body.strip(), created_at__gte=since).exists()


# --- Holds --------------------------------------------------------------------------

HOLD_MESSAGES = {
    Comment.HoldReason.TOO_MANY_LINKS: "it has more than {max_links} links",
    Comment.HoldReason.BLOCKLISTED_WORD: "it uses a word we check by hand",
    Comment.HoldReason.MOSTLY_LINKS: "it is mostly links",
}


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


def explain_hold(reasons):
    """One sentence for the reader whose comment was held."""
    parts = [
        HOLD_MESSAGES[reason].format(max_links=settings.COMMENTS_MAX_LINKS)
        for reason in Comment.HoldReason
        if reason in reasons and reason in HOLD_MESSAGES
    ]
    if not parts:
        return ""
    because = " and ".join(parts)
    return f"It may take longer to appear: a moderator checks it by hand because {because}."


def _blocklisted(body):
    for phrase in filter(None, (p.strip() for p in settings.COMMENTS_BLOCKLIST)):
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", body, re.IGNORECASE):
            return True
    return False
