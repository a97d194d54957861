"""
Moderation: the only way a comment changes state.

    new ──receive──▶ pending ──approve──▶ approved ──reject / mark_spam──▶ rejected / spam
          │            │                   │  ▲
          │            │                   └──┘ report: stays approved, report_count + 1;
          │            │                        approve again = keep it and clear the reports
          │            └──reject / mark_spam──▶ rejected / spam (with a reason code)
          └──(a spam rule fired)──▶ spam, with the rules that fired in held_reasons

Every decision (approve, reject, spam, feature, unfeature, delete outright)
writes a ``ModerationDecision`` row in the same transaction, under the same row
lock: who, when, from which status to which, reason and note. Rows are only
ever added, so "reject, then approve" keeps both and the first one's reason.
``feature``/``unfeature`` apply to approved comments only. ``delete_outright``
keeps the row as a record without personal data (name "[deleted]", no e-mail,
no text, no address hash), so its replies and its decisions stay; no later
decision changes a deleted comment.

A caller that showed the moderator a comment in one status may pass
``expected_status``: if another moderator moved it meanwhile, the call raises
``StaleDecision`` and changes nothing.

A reader's report never hides a comment: it records a ``CommentReport`` (one
per client address and comment) and puts the comment in front of moderators
("Reported" in the admin). Only a moderator removes it. Auto-approval needs a
sender who proved the address (``Comment.email_verified``) and an address
that earned trust; a banned address goes straight to spam (``commenters.py``).

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

from . import commenters, spam, surge, tasks
from .models import Comment, Commenter, CommentReport, ModerationDecision

logger = logging.getLogger(__name__)
Action = ModerationDecision.Action
DELETED_NAME = "[deleted]"


@dataclass(frozen=True)
class Change:
    comment: Comment
    old_status: str
    new_status: str
    decision: ModerationDecision | None = None


class StaleDecision(Exception):
    """The comment is no longer in the status the moderator saw; ``comment`` is as it is now."""

    def __init__(self, comment):
        super().__init__(f"Comment {comment.pk} is now {comment.get_status_display().lower()}.")
        self.comment = comment


class NotApproved(ValueError):
    """Only an approved comment can be featured."""


def receive(comment, *, form_nonce=None, hold_reasons=(), strict=None):
    """Save a new comment from a reader: held as spam, auto-approved, or pending.

    ``form_nonce`` (from the form token) is spent in the same transaction, so
    one form stores one comment; ``hold_reasons`` keep it pending with those
    reasons shown to moderators. Raises ``spam.FormTokenError`` for a form
    already used and ``spam.DuplicateComment`` when the same words from the
    same address already stand on the article. Returns the saved comment;
    moderators hear of it when it is pending, the commenter (and the parent's
    author) when it went straight to approved. On an article in strict mode
    (``strict``; ``None``: look it up) it always waits, held for ``surge.py``'s
    reasons. Once stored, the article is checked for a surge.
    """
    comment.body = comment.body.strip()
    if strict is None:
        strict = surge.is_strict(comment.article_id)
    if strict:
        hold_reasons = [*hold_reasons, *surge.hold_reasons(comment.body)]
    comment.fingerprint = spam.fingerprint(
        article_id=comment.article_id, email=comment.email, body=comment.body
    )
    reasons = spam.held_reasons(comment.body)
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
    try:
        # One transaction, no savepoint inside: a refusal rolls it all back, then says why.
        with transaction.atomic():
            if form_nonce is not None:
                spam.spend_form_token(form_nonce)
            comment.save()
            if banned:
                _record(
                    comment,
                    Action.SPAM,
                    Comment.Status.PENDING,
                    None,
                    comment.moderated_at,
                    Comment.RemovalReason.SPAM,
                    "The commenter is banned.",
                )
    except IntegrityError:
        comment.pk = None
        if form_nonce is not None and spam.form_token_was_spent(form_nonce):
            raise spam.FormTokenError(spam.REUSED) from None
        if Comment.objects.filter(
            article_id=comment.article_id, fingerprint=comment.fingerprint
        ).exists():
            raise spam.DuplicateComment(spam.DUPLICATE) from None
        raise
    surge.check_after_commit(comment.article_id)
    if comment.status == Comment.Status.PENDING:
        _tell_moderators(tasks.notify_moderators, comment.pk)
        if comment.email and not comment.email_verified:
            # Not for spam: a spammer's typed address is often a stranger's.
            _after_commit(tasks.send_verification, comment.pk)
    elif comment.status == Comment.Status.SPAM and _digest_on():
        _tell_moderators(None)  # held by a rule: it waits on the desk, so it is in the digest
    elif comment.status == Comment.Status.APPROVED:
        page_cache.content_changed()
        _after_commit(tasks.comment_approved, comment.pk)
    return comment


def approve(comment, *, moderator=None, note="", expected_status=None):
    """Make a comment public, or keep a reported public one and clear its reports.

    The first approval e-mails those who asked.
    """
    with transaction.atomic():
        locked = _lock(comment, expected_status)
        if locked.deleted_at or (
            locked.status == Comment.Status.APPROVED and locked.report_count == 0
        ):
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
        decision = _record(locked, Action.APPROVE, old_status, moderator, now, note=note)
        if first_approval:
            _after_commit(tasks.comment_approved, locked.pk)
    _copy_state(locked, comment)
    page_cache.content_changed()
    return Change(locked, old_status, locked.status, decision)


def reject(comment, *, reason, moderator=None, note="", expected_status=None):
    """Take a comment off (or keep it off) the site, for one of ``RemovalReason``."""
    reason = Comment.RemovalReason(reason)
    return _remove(
        comment, Comment.Status.REJECTED, reason, moderator, note, expected_status, Action.REJECT
    )


def mark_spam(comment, *, moderator=None, note="", expected_status=None):
    """Confirm a comment as spam; it counts as "spam" in the article's removal line."""
    return _remove(
        comment,
        Comment.Status.SPAM,
        Comment.RemovalReason.SPAM,
        moderator,
        note,
        expected_status,
        Action.SPAM,
    )


def feature(comment, *, moderator=None, note="", expected_status=None):
    """Make an approved comment an editors' pick; raises ``NotApproved`` for any other."""
    return _set_featured(comment, True, moderator, note, expected_status)


def unfeature(comment, *, moderator=None, note="", expected_status=None):
    """Take a comment out of the editors' picks."""
    return _set_featured(comment, False, moderator, note, expected_status)


def delete_outright(comment, *, reason, moderator=None, note=""):
    """Erase a comment's personal data and text; its row stays as the record.

    Only editors in charge (``comments.delete_comment_outright``) may call this
    from a view: the caller checks the permission. The comment ends rejected
    for ``reason`` and off the site; replies and decisions are kept.
    """
    reason = Comment.RemovalReason(reason)
    with transaction.atomic():
        locked = _lock(comment)
        if locked.deleted_at is not None:
            return None
        old_status = locked.status
        now = timezone.now()
        locked.status = Comment.Status.REJECTED
        locked.removal_reason = reason
        locked.featured = False
        locked.deleted_at = now
        locked.name, locked.email, locked.body, locked.ip_hash = DELETED_NAME, "", "", ""
        locked.fingerprint = ""
        locked.notify = False
        _stamp(locked, moderator, now)
        # save() renders body_html from the (now empty) body.
        locked.save(
            update_fields=[
                *MODERATION_FIELDS,
                *PERSONAL_FIELDS,
                "featured",
                "deleted_at",
                "fingerprint",
                "body_html",
            ]
        )
        decision = _record(locked, Action.DELETE, old_status, moderator, now, reason, note)
    _copy_state(locked, comment)
    page_cache.content_changed()
    return Change(locked, old_status, locked.status, decision)


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
            _tell_moderators(tasks.notify_moderators_of_report, locked.pk, flag.pk)
        surge.check_after_commit(locked.article_id)
    _copy_state(locked, comment)
    return flag


def approve_all(comments, *, moderator=None):
    return _each(comments, lambda c: approve(c, moderator=moderator))


def reject_all(comments, *, reason, moderator=None):
    return _each(comments, lambda c: reject(c, reason=reason, moderator=moderator))


def mark_spam_all(comments, *, moderator=None):
    return _each(comments, lambda c: mark_spam(c, moderator=moderator))


MODERATION_FIELDS = ["status", "removal_reason", "moderated_by", "moderated_at", "featured"]
PERSONAL_FIELDS = ["name", "email", "body", "ip_hash", "notify"]


def _remove(comment, status, reason, moderator, note, expected_status, action):
    with transaction.atomic():
        locked = _lock(comment, expected_status)
        if locked.deleted_at or (locked.status == status and locked.removal_reason == reason):
            return None
        old_status = locked.status
        now = timezone.now()
        locked.status = status
        locked.removal_reason = reason
        locked.featured = False
        # Free the words: the reader may send them again after a removal.
        locked.fingerprint = ""
        _stamp(locked, moderator, now)
        locked.save(update_fields=[*MODERATION_FIELDS, "fingerprint"])
        decision = _record(locked, action, old_status, moderator, now, reason, note)
    _copy_state(locked, comment)
    page_cache.content_changed()
    return Change(locked, old_status, status, decision)


def _set_featured(comment, featured, moderator, note, expected_status):
    with transaction.atomic():
        locked = _lock(comment, expected_status)
        if locked.deleted_at or locked.featured == featured:
            return None
        if featured and locked.status != Comment.Status.APPROVED:
            raise NotApproved("Only an approved comment can be featured: approve it first.")
        now = timezone.now()
        locked.featured = featured
        _stamp(locked, moderator, now)
        locked.save(update_fields=["featured", "moderated_by", "moderated_at"])
        action = Action.FEATURE if featured else Action.UNFEATURE
        decision = _record(locked, action, locked.status, moderator, now, note=note)
    _copy_state(locked, comment)
    page_cache.content_changed()
    return Change(locked, locked.status, locked.status, decision)


def _lock(comment, expected_status=None):
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if expected_status is not None and locked.status != expected_status:
        raise StaleDecision(locked)
    return locked


def _record(locked, action, old_status, moderator, now, reason="", note=""):
    """The decision on the record, in the caller's transaction."""
    return ModerationDecision.objects.create(
        comment=locked,
        moderator=moderator,
        at=now,
        action=action,
        from_status=old_status,
        to_status=locked.status,
        reason=reason,
        note=note.strip(),
    )


def _stamp(comment, moderator, now):
    comment.moderated_by = moderator
    comment.moderated_at = now


def _copy_state(source, target):
    """Let the caller's instance see what was saved."""
    if source is not target:
        fields = [
            *MODERATION_FIELDS,
            *PERSONAL_FIELDS,
            "approved_at",
            "report_count",
            "held_reasons",
            "fingerprint",
            "deleted_at",
            "body_html",
        ]
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


def _digest_on():
    return settings.COMMENTS_MODERATOR_DIGEST_MINUTES > 0


def _tell_moderators(task, *args):
    """Moderators hear of something waiting: in the next digest when it is on
    (``COMMENTS_MODERATOR_DIGEST_MINUTES``), else by ``task`` for this one thing."""
    if _digest_on():
        transaction.on_commit(tasks.schedule_moderator_digest)
    elif task is not None:
        _after_commit(task, *args)
