"""
A reader posts a comment: what happens once the form is valid, top to bottom.

The flow reads in three files: ``views.post_comment`` (the article, the
form, the response), ``forms.CommentForm`` (what the reader typed) and this
module, which decides where the comment goes and stores it. The rules come
from one ``policy.CommentPolicy``; who sent it (address hash, proven address,
rate limits, form token) from ``client.py``; the commenter's standing and
trust from ``commenters.py``.

Where a new comment goes, first match wins: a banned address → spam (a system
decision on the record); a spam rule → spam, held with its reasons; strict
mode or an unchecked rate limit → pending, held with its reasons; a proven
address that earned trust → approved; anything else → pending. The reader is
told only "published" or "awaiting moderation", never which rule matched.

Every side effect (mail to the commenter, the moderators' digest, the surge
check and its alert) is queued after the commit: a post that rolls back
leaves nothing behind.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from articles import page_cache

from . import client as clients
from . import commenters, moderation, policy, surge, tasks
from .models import Comment, Commenter

DUPLICATE = "You sent this same comment a few minutes ago; it is already waiting for a moderator."


class DuplicateComment(Exception):
    """The same words from the same address already stand on this article."""


@dataclass(frozen=True)
class Outcome:
    """What became of a post: the stored ``comment``, or the ``refusal`` to show on the form
    (``rate_limited``: answer 429)."""

    comment: Comment | None = None
    refusal: Exception | None = None
    rate_limited: bool = False

    @property
    def published(self):
        return self.comment is not None and self.comment.is_public


def post_comment(comment, *, client, form_nonce=None, strict=False, standing=None):
    """Take a reader's new, unsaved ``comment`` from ``client`` (a ``client.Client``).

    ``strict`` and ``standing`` (of the comment's address; ``None``: look it
    up) come with the article from ``post_query.article_taking_post``. Returns an
    ``Outcome``; the comment is stored unless it was refused.
    """
    rules = policy.current()
    comment.ip_hash = client.ip_hash
    comment.email_verified = client.proves(comment.email)
    hold_reasons = []
    try:
        established = strict and _is_established(comment)
        limit = rules.comment_rate_limit(strict=strict, established=established)
        if not clients.allow_comment_from(client.ip_hash, limit=limit):
            refusal = clients.RateLimited(clients.rate_limited_message(limit))
            return Outcome(refusal=refusal, rate_limited=True)
    except clients.CacheUnavailable:
        # Never lose a reader's words to a cache outage: a moderator sees it anyway.
        hold_reasons.append(Comment.HoldReason.RATE_LIMIT_UNAVAILABLE)
    try:
        receive(
            comment,
            form_nonce=form_nonce,
            hold_reasons=hold_reasons,
            strict=strict,
            standing=standing,
        )
    except (clients.FormTokenError, DuplicateComment) as error:
        return Outcome(refusal=error)
    return Outcome(comment=comment)


def receive(comment, *, form_nonce=None, hold_reasons=(), strict=None, standing=None):
    """Save a new comment: held as spam, auto-approved, or pending (see the module's docstring).

    ``form_nonce`` (from the form token) is spent in the same transaction, so
    one form stores one comment; ``hold_reasons`` keep it pending with those
    reasons shown to moderators. Raises ``client.FormTokenError`` for a form
    already used and ``DuplicateComment`` when the same words from the same
    address already stand on the article. ``strict`` and ``standing`` (of the
    comment's address): ``None`` looks them up.
    Returns the saved comment.
    """
    rules = policy.current()
    comment.body = comment.body.strip()
    if strict is None:
        strict = surge.is_strict(comment.article_id)
    if strict:
        hold_reasons = [*hold_reasons, *rules.strict_mode_reasons(comment.body)]
    comment.fingerprint = fingerprint(
        article_id=comment.article_id, email=comment.email, body=comment.body
    )
    reasons = rules.spam_reasons(comment.body)
    if standing is None:
        standing = commenters.standing_of(comment.email)
    banned = standing == Commenter.Standing.BANNED
    if banned:
        # Straight to spam, decided by the system; the reader is told only that it waits.
        comment.status = Comment.Status.SPAM
        comment.held_reasons = [Comment.HoldReason.BANNED, *reasons]
        comment.removal_reason = Comment.RemovalReason.SPAM
        comment.moderated_at = timezone.now()
    elif reasons:
        comment.status = Comment.Status.SPAM
        comment.held_reasons = reasons
    elif hold_reasons:
        comment.status = Comment.Status.PENDING
        comment.held_reasons = [str(reason) for reason in hold_reasons]
    elif commenters.earns_trust(comment, standing):
        comment.status = Comment.Status.APPROVED
        comment.approved_at = timezone.now()
    else:
        comment.status = Comment.Status.PENDING
    _store(comment, form_nonce, banned)
    _after_storing(comment, strict=strict)
    return comment


def _store(comment, form_nonce, banned):
    try:
        # One transaction, no savepoint inside: a refusal rolls it all back, then says why.
        with transaction.atomic():
            if form_nonce is not None:
                clients.spend_form_token(form_nonce)
            comment.save()
            if banned:
                moderation.record_decision(
                    comment,
                    moderation.Action.SPAM,
                    Comment.Status.PENDING,
                    None,
                    comment.moderated_at,
                    Comment.RemovalReason.SPAM,
                    "The commenter is banned.",
                )
    except IntegrityError:
        comment.pk = None
        if form_nonce is not None and clients.form_token_was_spent(form_nonce):
            raise clients.FormTokenError(clients.REUSED) from None
        if Comment.objects.filter(
            article_id=comment.article_id, fingerprint=comment.fingerprint
        ).exists():
            raise DuplicateComment(DUPLICATE) from None
        raise


def _after_storing(comment, *, strict):
    """Everything a stored comment sets off, each queued after the commit."""
    if not strict:  # strict mode on: a surge could start nothing
        surge.check_after_commit(comment.article_id)
    if comment.status == Comment.Status.PENDING:
        moderation.tell_moderators(tasks.notify_moderators, comment.pk)
        if comment.email and not comment.email_verified:
            # Not for spam: a spammer's typed address is often a stranger's.
            tasks.enqueue_on_commit(tasks.send_verification, comment.pk)
    elif comment.status == Comment.Status.SPAM and moderation.digest_on():
        moderation.tell_moderators(None)  # held by a rule: it waits on the desk, in the digest
    elif comment.status == Comment.Status.APPROVED:
        page_cache.content_changed()
        tasks.enqueue_on_commit(tasks.comment_approved, comment.pk)


def _is_established(comment):
    """A sender who proved the address and has an approved comment: not slowed in strict mode."""
    return comment.email_verified and Comment.objects.approved().by_email(comment.email).exists()


def is_duplicate(*, email, body):
    """The same e-mail sent the same words within ``COMMENTS_DUPLICATE_WINDOW``, on any article.

    A friendly early check for the form; ``fingerprint()`` and its unique
    constraint are what make it hold when copies arrive at the same instant.
    A post reads it with its article instead (``post_query.article_taking_post``).
    """
    return _recent_copies(email=email, body=body).exists()


def _recent_copies(*, email, body):
    window = datetime.timedelta(seconds=policy.current().duplicate_window)
    since = timezone.now() - window
    return Comment.objects.by_email(email).filter(body=body.strip(), created_at__gte=since)


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
