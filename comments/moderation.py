"""
Moderation: the only way a comment changes state.

    new ──receive──▶ pending ──approve──▶ approved ──reject / mark_spam──▶ rejected / spam
          │            │                   │  ▲
          │            │                   └──┘ report: stays approved, report_count + 1;
          │            │                        approve again = keep it and clear the reports
          │            └──reject / mark_spam──▶ rejected / spam (with a reason code)
          └──(a spam rule fired)──▶ spam, with the rules that fired in held_reasons

A reader's report never hides a comment: it records a ``CommentReport`` (one
per client address and comment) and puts the comment in front of moderators
("Reported" in the admin). Only a moderator removes it. Auto-approval needs a
verified address (``Comment.email_verified``), and nothing verifies one yet,
so every new comment that no spam rule holds is pending.

Each function locks the comment's row (``select_for_update``) in a
transaction and decides on the row as it is then, so two moderators acting at
once are served one after the other: the second sees the first's decision. A
call that would change nothing returns ``None`` and sends nothing. E-mail is
queued (``tasks.py``) only after the transaction commits (a decision that
rolls back queues nothing), once per comment (``approved_at`` marks the first
approval), and only from here: there are no signals. No e-mail is sent inside
the request; a mail server that fails leaves a failed task to re-run, and the
decision stands.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import page_cache

from . import spam, tasks
from .models import Comment, CommentReport

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    comment: Comment
    old_status: str
    new_status: str


def receive(comment, *, form_nonce=None, hold_reasons=()):
    """Save a new comment from a reader: held as spam, auto-approved, or pending.

    ``form_nonce`` (from the form token) is spent in the same transaction, so
    one form stores one comment; ``hold_reasons`` keep it pending with those
    reasons shown to moderators. Raises ``spam.FormTokenError`` for a form
    already used and ``spam.DuplicateComment`` when the same words from the
    same address already stand on the article. Returns the saved comment;
    moderators hear of it when it is pending, the commenter (and the parent's
    author) when it went straight to approved.
    """
    comment.body = comment.body.strip()
    comment.fingerprint = spam.fingerprint(
        article_id=comment.article_id, email=comment.email, body=comment.body
    )
    reasons = spam.held_reasons(comment.body)
    if reasons:
        comment.status = Comment.Status.SPAM
        comment.held_reasons = reasons
    elif hold_reasons:
        comment.status = Comment.Status.PENDING
        comment.held_reasons = [str(reason) for reason in hold_reasons]
    elif _is_trusted_commenter(comment):
        comment.status = Comment.Status.APPROVED
        comment.approved_at = timezone.now()
    else:
        comment.status = Comment.Status.PENDING
    try:
        # One transaction, no savepoint inside: a refusal rolls it all back, then says why.
        with transaction.atomic():
            if form_nonce is not None:
                spam.spend_form_token(form_nonce)
            comment.save()
    except IntegrityError:
        comment.pk = None
        if form_nonce is not None and spam.form_token_was_spent(form_nonce):
            raise spam.FormTokenError(spam.REUSED) from None
        if Comment.objects.filter(
            article_id=comment.article_id, fingerprint=comment.fingerprint
        ).exists():
            raise spam.DuplicateComment(spam.DUPLICATE) from None
        raise
    if comment.status == Comment.Status.PENDING:
        _after_commit(tasks.notify_moderators, comment.pk)
    elif comment.status == Comment.Status.APPROVED:
        page_cache.content_changed()
        _after_commit(tasks.comment_approved, comment.pk)
    return comment


def approve(comment, *, moderator=None):
    """Make a comment public, or keep a reported public one and clear its reports.

    The first approval e-mails those who asked.
    """
    with transaction.atomic():
        locked = _lock(comment)
        if locked.status == Comment.Status.APPROVED and locked.report_count == 0:
            return None
        old_status = locked.status
        first_approval = locked.approved_at is None
        now = timezone.now()
        locked.status = Comment.Status.APPROVED
        locked.removal_reason = ""
        locked.report_count = 0
        if first_approval:
            locked.approved_at = now
        _stamp(locked, moderator, now)
        locked.save(update_fields=[*MODERATION_FIELDS, "approved_at", "report_count"])
        if first_approval:
            _after_commit(tasks.comment_approved, locked.pk)
    _copy_state(locked, comment)
    page_cache.content_changed()
    return Change(locked, old_status, locked.status)


def reject(comment, *, reason, moderator=None):
    """Take a comment off (or keep it off) the site, for one of ``RemovalReason``."""
    reason = Comment.RemovalReason(reason)
    return _remove(comment, Comment.Status.REJECTED, reason, moderator)


def mark_spam(comment, *, moderator=None):
    """Confirm a comment as spam; it counts as "spam" in the article's removal line."""
    return _remove(comment, Comment.Status.SPAM, Comment.RemovalReason.SPAM, moderator)


def report(comment, *, ip_hash, reason=""):
    """A reader flags a public comment for moderators; it stays public.

    Returns the new ``CommentReport``, or ``None`` when the comment is not
    public or this client address already reported it. Moderators get one
    e-mail, when a comment is first reported (again after they last kept it).
    """
    reason = CommentReport.Reason(reason) if reason else ""
    with transaction.atomic():
        locked = _lock(comment)
        if locked.status != Comment.Status.APPROVED:
            return None
        try:
            with transaction.atomic():
                flag = CommentReport.objects.create(comment=locked, ip_hash=ip_hash, reason=reason)
        except IntegrityError:
            return None
        locked.report_count += 1
        locked.save(update_fields=["report_count"])
        if locked.report_count == 1:
            _after_commit(tasks.notify_moderators_of_report, locked.pk, flag.pk)
    _copy_state(locked, comment)
    return flag


def approve_all(comments, *, moderator=None):
    return _each(comments, lambda c: approve(c, moderator=moderator))


def reject_all(comments, *, reason, moderator=None):
    return _each(comments, lambda c: reject(c, reason=reason, moderator=moderator))


def mark_spam_all(comments, *, moderator=None):
    return _each(comments, lambda c: mark_spam(c, moderator=moderator))


MODERATION_FIELDS = ["status", "removal_reason", "moderated_by", "moderated_at"]


def _remove(comment, status, reason, moderator):
    with transaction.atomic():
        locked = _lock(comment)
        if locked.status == status and locked.removal_reason == reason:
            return None
        old_status = locked.status
        locked.status = status
        locked.removal_reason = reason
        # Free the words: the reader may send them again after a removal.
        locked.fingerprint = ""
        _stamp(locked, moderator, timezone.now())
        locked.save(update_fields=[*MODERATION_FIELDS, "fingerprint"])
    _copy_state(locked, comment)
    page_cache.content_changed()
    return Change(locked, old_status, status)


def _lock(comment):
    return Comment.objects.select_for_update().get(pk=comment.pk)


def _stamp(comment, moderator, now):
    comment.moderated_by = moderator
    comment.moderated_at = now


def _copy_state(source, target):
    """Let the caller's instance see what was saved."""
    if source is not target:
        fields = [*MODERATION_FIELDS, "approved_at", "report_count", "held_reasons", "fingerprint"]
        for field in fields:
            setattr(target, field, getattr(source, field))


def _each(comments, decide):
    return [change for comment in comments if (change := decide(comment)) is not None]


def _after_commit(task, *args):
    """Queue ``task`` with ``args`` (ids) once the transaction commits.

    A queue that refuses the task is logged, never raised: the decision has
    been committed and stands.
    """

    def enqueue():
        try:
            task.enqueue(*args)
        except Exception:
            logger.exception("Could not queue %s e-mail for %s", task.name, args)

    transaction.on_commit(enqueue)


def _is_trusted_commenter(comment):
    """Auto-approval for returning commenters with a verified address, when the setting is on.

    An address typed into the form proves nothing (anyone can type anyone's),
    so an unverified one never auto-approves.
    """
    needed = settings.COMMENTS_AUTO_APPROVE_AFTER
    if needed <= 0 or not comment.email or not comment.email_verified:
        return False
    return Comment.objects.approved().by_email(comment.email).count() >= needed
