"""
Moderation: every change of a stored comment's state, on the record.

    new ──posting.receive──▶ pending ──approve──▶ approved ──reject / mark_spam──▶ rejected / spam
          │                   │                   │  ▲
          │                   │                   └──┘ report: stays approved, report_count + 1;
          │                   │                        approve again = keep it, clear the reports
          │                   │      approved ──report (N verified readers)──▶ pending, "Reported"
          │                   └──reject / mark_spam──▶ rejected / spam (with a reason code)
          └──(a spam rule fired)──▶ spam, with the rules that fired in held_reasons

A new comment is stored by ``posting.py`` (the reader's post); every later
change of state is here.

Every decision (approve, reject, spam, feature, unfeature, delete outright, take down)
writes a ``ModerationDecision`` row in the same transaction, under the same row
lock: who, when, from which status to which, reason and note. Rows are only
ever added, so "reject, then approve" keeps both and the first one's reason.
``feature``/``unfeature`` apply to approved comments only. ``delete_outright``
keeps the row as a record without personal data (name "[deleted]", no e-mail,
no text, no address hash), so its replies and its decisions stay; no later
decision changes a deleted comment.

A caller that showed the moderator a comment in one status may pass
``expected_status``: if another moderator moved it meanwhile, the call raises
``StaleDecision`` and changes nothing. Every page a moderator decides from
sends back the status it showed (``seen_statuses``): the desk's cards and bulk
form, the comment list and its actions, a comment's own page.

A reader's report records a ``CommentReport`` (one per client address and
comment, one per verified reader and comment) and puts the comment in front of
moderators ("Reported" on the desk). It stays public; only when
``COMMENTS_REPORTS_TO_HIDE`` distinct *verified* readers reported it since a
moderator last kept it does the system take it down (back to pending, a
decision on the record); a moderator restores it with ``approve``.

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

from . import policy, surge, tasks
from .models import Comment, CommentReport, ModerationDecision

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
        decision = record_decision(locked, Action.APPROVE, old_status, moderator, now, note=note)
        if first_approval:
            tasks.enqueue_on_commit(tasks.comment_approved, locked.pk)
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
        decision = record_decision(locked, Action.DELETE, old_status, moderator, now, reason, note)
    _copy_state(locked, comment)
    page_cache.content_changed()
    return Change(locked, old_status, locked.status, decision)


def report(comment, *, ip_hash, reason="", reporter=None):
    """A reader flags a public comment for moderators; it stays public, unless enough
    verified readers say so.

    ``reporter`` is the reader's ``Commenter`` when their browser proved a
    verified address (``commenters.verified_commenter``), else ``None``.
    Returns the new ``CommentReport``, or ``None`` when the comment is not
    public or this client address (or verified reader) already reported it.
    Moderators hear when a comment is first reported (again after they last
    kept it). When ``COMMENTS_REPORTS_TO_HIDE`` distinct verified readers
    reported it since a moderator last kept it, it is taken down (``_take_down``).
    """
    reason = CommentReport.Reason(reason) if reason else ""
    with transaction.atomic():
        locked = _lock(comment)
        if locked.status != Comment.Status.APPROVED:
            return None
        try:
            with transaction.atomic():
                flag = CommentReport.objects.create(
                    comment=locked, ip_hash=ip_hash, reason=reason, reporter=reporter
                )
        except IntegrityError:
            return None
        locked.report_count += 1
        locked.save(update_fields=["report_count"])
        if locked.report_count == 1:
            tell_moderators(tasks.notify_moderators_of_report, locked.pk, flag.pk)
        taken_down = reporter is not None and _take_down_if_enough(locked)
        surge.check_after_commit(locked.article_id, what="reports")
    _copy_state(locked, comment)
    if taken_down:
        page_cache.content_changed()
    return flag


def _take_down_if_enough(locked):
    """Back to pending, under "Reported", when enough distinct verified readers reported it
    since a moderator last looked; a system decision on the record. True when taken down."""
    reports = CommentReport.objects.filter(comment=locked, reporter__isnull=False)
    if locked.moderated_at is not None:
        reports = reports.filter(created_at__gt=locked.moderated_at)
    readers = reports.values("reporter").distinct().count()
    if not policy.current().takes_down(readers):
        return False
    now = timezone.now()
    locked.status = Comment.Status.PENDING
    locked.held_reasons = [str(Comment.HoldReason.REPORTED)]
    locked.featured = False
    _stamp(locked, None, now)
    locked.save(update_fields=[*MODERATION_FIELDS, "held_reasons"])
    note = f"Taken down after reports from {readers} verified readers."
    record_decision(locked, Action.TAKE_DOWN, Comment.Status.APPROVED, None, now, note=note)
    tell_moderators(None)  # it waits for them now: in the next digest, if digests are on
    return True


class Decisions(list):
    """The changes one bulk decision made; ``stale``: the comments another moderator moved
    while it ran, left as that moderator decided."""

    def __init__(self, changes=(), stale=()):
        super().__init__(changes)
        self.stale = list(stale)

    @staticmethod
    def said_of_stale(count):
        """What the moderator is told of ``count`` stale comments."""
        subject = "1 comment was" if count == 1 else f"{count} comments were"
        return f"{subject} decided by another moderator meanwhile and left as they decided."


def approve_all(comments, *, moderator=None, seen=None):
    return _each(
        comments, seen, lambda c, status: approve(c, moderator=moderator, expected_status=status)
    )


def reject_all(comments, *, reason, moderator=None, seen=None):
    return _each(
        comments,
        seen,
        lambda c, status: reject(c, reason=reason, moderator=moderator, expected_status=status),
    )


def mark_spam_all(comments, *, moderator=None, seen=None):
    return _each(
        comments, seen, lambda c, status: mark_spam(c, moderator=moderator, expected_status=status)
    )


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
        decision = record_decision(locked, action, old_status, moderator, now, reason, note)
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
        decision = record_decision(locked, action, locked.status, moderator, now, note=note)
    _copy_state(locked, comment)
    page_cache.content_changed()
    return Change(locked, locked.status, locked.status, decision)


def _lock(comment, expected_status=None):
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if expected_status is not None and locked.status != expected_status:
        raise StaleDecision(locked)
    return locked


def record_decision(locked, action, old_status, moderator, now, reason="", note=""):
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


def _each(comments, seen, decide):
    """``decide(comment, status)`` for each of ``comments``, ``status`` being the one the
    moderator saw: ``seen[pk]`` (``{comment id: status}``, sent back by the page they
    decided on), else the comment's status when ``comments`` were read. A comment another
    moderator decided since (from another page, or in a bulk decision running at the same
    moment) is left as they decided, never overwritten (``Decisions.stale``)."""
    seen = seen or {}
    changes, stale = [], []
    for comment in comments:
        try:
            change = decide(comment, seen.get(comment.pk, comment.status))
        except StaleDecision:
            stale.append(comment)
            continue
        if change is not None:
            changes.append(change)
    return Decisions(changes, stale)


SEEN_PREFIX = "seen-"


def seen_field(comment):
    """The name of the form field that sends back the status a page showed of ``comment``."""
    return f"{SEEN_PREFIX}{comment.pk}"


def seen_statuses(data):
    """``{comment id: status}`` from the ``seen-<id>`` fields of ``data`` (a POST), as pages
    write them; anything else (``seen-01``, an unknown status) is left out, and the status
    read when the decision runs counts for that comment."""
    statuses = set(Comment.Status.values)
    found = {}
    for key, value in data.items():
        pk = _written_id(key.removeprefix(SEEN_PREFIX)) if key.startswith(SEEN_PREFIX) else None
        if pk is not None and value in statuses:
            found[pk] = value
    return found


def _written_id(text):
    """``text`` as a row id written by a page (no sign, no leading zero, a bigint), or None."""
    if text.isascii() and text.isdecimal() and text == str(int(text)) and 0 < int(text) < 2**63:
        return int(text)
    return None


def digest_on():
    return settings.COMMENTS_MODERATOR_DIGEST_MINUTES > 0


def tell_moderators(task, *args):
    """Moderators hear of something waiting: in the next digest when it is on
    (``COMMENTS_MODERATOR_DIGEST_MINUTES``), else by ``task`` for this one thing."""
    if digest_on():
        transaction.on_commit(tasks.schedule_moderator_digest)
    elif task is not None:
        tasks.enqueue_on_commit(task, *args)
