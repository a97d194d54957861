"""
Moderation: the only way a comment changes state.

    new ──receive──▶ pending ──approve──▶ approved ──(enough reports)──▶ pending
          │            │                    │
          │            └──reject / mark_spam┴──▶ rejected / spam (with a reason code)
          └──(a spam rule fired)──▶ spam, with the rules that fired in held_reasons

Each function locks the comment's row (``select_for_update``) in a
transaction and decides on the row as it is then, so two moderators acting at
once are served one after the other: the second sees the first's decision. A
call that would change nothing returns ``None`` and sends nothing. E-mail goes
out after the row is saved, once per comment (``approved_at`` marks the first
approval), and only from here: there are no signals.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import notifications, spam
from .models import Comment


@dataclass(frozen=True)
class Change:
    comment: Comment
    old_status: str
    new_status: str


def receive(comment):
    """Save a new comment from a reader: held as spam, auto-approved, or pending.

    Returns the saved comment; moderators hear of it when it is pending, the
    commenter (and the parent's author) when it went straight to approved.
    """
    comment.body = comment.body.strip()
    reasons = spam.held_reasons(comment.body)
    if reasons:
        comment.status = Comment.Status.SPAM
        comment.held_reasons = reasons
    elif _is_trusted_commenter(comment.email):
        comment.status = Comment.Status.APPROVED
        comment.approved_at = timezone.now()
    else:
        comment.status = Comment.Status.PENDING
    comment.save()
    if comment.status == Comment.Status.PENDING:
        notifications.notify_moderators(comment)
    elif comment.status == Comment.Status.APPROVED:
        notifications.comment_approved(comment)
    return comment


def approve(comment, *, moderator=None):
    """Make a comment public. The first approval e-mails those who asked."""
    with transaction.atomic():
        locked = _lock(comment)
        if locked.status == Comment.Status.APPROVED:
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
    _copy_state(locked, comment)
    if first_approval:
        notifications.comment_approved(locked)
    return Change(locked, old_status, locked.status)


def reject(comment, *, reason, moderator=None):
    """Take a comment off (or keep it off) the site, for one of ``RemovalReason``."""
    reason = Comment.RemovalReason(reason)
    return _remove(comment, Comment.Status.REJECTED, reason, moderator)


def mark_spam(comment, *, moderator=None):
    """Confirm a comment as spam; it counts as "spam" in the article's removal line."""
    return _remove(comment, Comment.Status.SPAM, Comment.RemovalReason.SPAM, moderator)


def report(comment):
    """A reader flags an approved comment; enough flags send it back to the queue.

    Returns True when this report sent it back to pending.
    """
    with transaction.atomic():
        locked = _lock(comment)
        if locked.status != Comment.Status.APPROVED:
            return False
        locked.report_count += 1
        requeued = locked.report_count >= settings.COMMENTS_REPORTS_TO_REQUEUE
        if requeued:
            locked.status = Comment.Status.PENDING
            if Comment.HoldReason.REPORTED not in locked.held_reasons:
                locked.held_reasons = [*locked.held_reasons, str(Comment.HoldReason.REPORTED)]
        locked.save(update_fields=["report_count", "status", "held_reasons"])
    _copy_state(locked, comment)
    if requeued:
        notifications.notify_moderators(locked)
    return requeued


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
        _stamp(locked, moderator, timezone.now())
        locked.save(update_fields=MODERATION_FIELDS)
    _copy_state(locked, comment)
    return Change(locked, old_status, status)


def _lock(comment):
    return Comment.objects.select_for_update().get(pk=comment.pk)


def _stamp(comment, moderator, now):
    comment.moderated_by = moderator
    comment.moderated_at = now


def _copy_state(source, target):
    """Let the caller's instance see what was saved."""
    if source is not target:
        for field in [*MODERATION_FIELDS, "approved_at", "report_count", "held_reasons"]:
            setattr(target, field, getattr(source, field))


def _each(comments, decide):
    return [change for comment in comments if (change := decide(comment)) is not None]


def _is_trusted_commenter(email):
    """Auto-approval for returning commenters, when the setting turns it on."""
    needed = settings.COMMENTS_AUTO_APPROVE_AFTER
    if needed <= 0 or not email:
        return False
    return Comment.objects.approved().by_email(email).count() >= needed
