"""
A commenter edits or withdraws their own comment, within ``COMMENTS_EDIT_WINDOW``.

The credential is a signed link (``edit_token``), shown after posting and in
the mail that confirms the address; the window is counted from the comment's
``created_at``, whatever the link's age. An edit of a published comment that
is more than a typo (``COMMENTS_EDIT_TYPO_PERCENT``, difflib's similarity) or
that a spam rule now holds goes back to the queue; the comment shows
"edited". Withdrawing takes it off the site. Both leave a decision row with no
moderator (the commenter acted), under the comment's row lock.
"""

import datetime
import difflib

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import page_cache

from . import moderation, policy, posting
from .models import Comment, ModerationDecision

EDIT_SALT = "comments.edit-own"
Action = ModerationDecision.Action

WINDOW_PASSED = "The time to change this comment has passed; it stays as it is."
GONE = "This comment can no longer be changed."
SAME_AS_ANOTHER = "You already sent these same words on this article."


class Refused(Exception):
    """The change is not allowed; ``str()`` is the message for the commenter."""


def edit_token(comment):
    return signing.dumps(comment.pk, salt=EDIT_SALT)


def comment_for_edit_token(token):
    try:
        pk = signing.loads(token, salt=EDIT_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Comment.objects.select_related("article").filter(pk=pk).first()


def closes_at(comment):
    return comment.created_at + datetime.timedelta(seconds=policy.current().edit_window)


def check_open(comment, *, now=None):
    """Raise ``Refused`` unless the commenter may still change this comment."""
    # Held as spam by a rule or a ban stays editable, like any comment waiting: the
    # commenter is never told which rule caught them. A moderator's removal is final.
    removed_by_moderator = comment.status == Comment.Status.SPAM and comment.moderated_by_id
    if comment.deleted_at or comment.status == Comment.Status.REJECTED or removed_by_moderator:
        raise Refused(GONE)
    if (now or timezone.now()) >= closes_at(comment):
        raise Refused(WINDOW_PASSED)


def is_typo_fix(old, new):
    ratio = difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()
    return ratio * 100 >= policy.current().edit_typo_percent


def edit(comment, *, body):
    """Replace the text; returns the comment as saved (``None`` when nothing changed)."""
    body = body.strip()
    try:
        with transaction.atomic():
            locked = moderation._lock(comment)
            check_open(locked)
            if body == locked.body:
                return None
            old_status, now = locked.status, timezone.now()
            reasons = policy.current().spam_reasons(body)
            public = old_status == Comment.Status.APPROVED
            if public and (reasons or not is_typo_fix(locked.body, body)):
                locked.status = Comment.Status.PENDING
                locked.featured = False
            if locked.status == Comment.Status.PENDING:
                locked.held_reasons = reasons  # a spam hold keeps the reasons it had
            locked.body = body
            locked.edited_at = now
            locked.fingerprint = posting.fingerprint(
                article_id=locked.article_id, email=locked.email, body=body
            )
            locked.save()
            note = "Edited by the commenter."
            if locked.status != old_status:
                note += " More than a typo: back in the queue."
            moderation.record_decision(locked, Action.EDIT, old_status, None, now, note=note)
    except IntegrityError:
        raise Refused(SAME_AS_ANOTHER) from None
    if public:
        page_cache.content_changed()
    if old_status != locked.status:
        moderation.tasks.enqueue_on_commit(moderation.tasks.notify_moderators, locked.pk)
    moderation._copy_state(locked, comment)
    comment.edited_at = locked.edited_at
    return locked


def withdraw(comment):
    """Take the comment off the site at its author's request; returns the comment."""
    with transaction.atomic():
        locked = moderation._lock(comment)
        check_open(locked)
        old_status, now = locked.status, timezone.now()
        locked.status = Comment.Status.REJECTED
        locked.removal_reason = ""  # not a moderator's removal: readers' counts leave it out
        locked.featured = False
        locked.fingerprint = ""
        locked.save(update_fields=["status", "removal_reason", "featured", "fingerprint"])
        moderation.record_decision(
            locked, Action.WITHDRAW, old_status, None, now, note="Withdrawn by the commenter."
        )
    if old_status == Comment.Status.APPROVED:
        page_cache.content_changed()
    moderation._copy_state(locked, comment)
    return locked
