"""
Every change of an article's state, in one place.

The states (``Article.Status``) and the moves between them::

    submit           draft, unpublished         → review       (whoever may edit it)
    request_changes  review                     → draft        (editors; with a note)
    schedule         draft, review, scheduled,
                     unpublished                → scheduled    (editors; a future time)
    publish          draft, review, scheduled,
                     unpublished                → published    (editors)
    unpublish        scheduled, published,
                     archived                   → unpublished  (editors)
    archive          published, scheduled
                     once its time has come     → archived     (editors)

"Editors" means holders of the ``articles.publish_article`` permission;
``by=None`` is the system (importer, commands, demo loader) and may do any
move the table allows. Each function locks the row, checks the move and the
permission (and that an article made public has a standfirst), writes the
state and a ``Transition`` log row, moves the page
cache on, and returns the article; a refused move raises ``NotAllowed`` or
``TransitionError`` with a sentence for the editor, and changes nothing.

``published_at`` is stamped here only (``publication_time``): once, when the
article is first published (publishing it again keeps that date), or to the
time it is scheduled for (scheduling sets the date readers see to that time).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from . import page_cache
from .models import Article, Transition

Status = Article.Status
PUBLISH_PERMISSION = "articles.publish_article"
MAX_SCHEDULE_AHEAD = datetime.timedelta(days=5 * 365)


class TransitionError(Exception):
    """A move the article's state does not allow, or bad input (a past date)."""


class NotAllowed(TransitionError):
    """The user may not make this move."""


def can_publish(user):
    """May ``user`` review, schedule, publish, unpublish and archive? (None: the system.)"""
    return user is None or user.has_perm(PUBLISH_PERMISSION)


def can_edit(user, article):
    """May ``user`` change ``article``: editors any, contributors their own."""
    if user is None or user.has_perm(PUBLISH_PERMISSION):
        return True
    return (
        user.is_authenticated
        and user.has_perm("articles.change_article")
        and article.author.user_id == user.pk
    )


def publication_time(current, *, now=None):
    """The date an article takes when published: its own if one has passed, else now.

    The one date rule, shared with bulk writers (generate_bench_data) that
    cannot call ``publish`` row by row.
    """
    now = now or timezone.now()
    return current if current is not None and current <= now else now


def submit(article, *, by=None):
    """Draft or unpublished → in review: the author asks an editor to look."""
    return _move(article, "submit", by=by)


def request_changes(article, *, by=None, note=""):
    """In review → draft, with ``note`` (required) saying what to change."""
    return _move(article, "request_changes", by=by, note=note)


def schedule(article, *, by=None, at=None):
    """→ scheduled for ``at``, which must be in the future: public from then on."""
    return _move(article, "schedule", by=by, at=at)


def publish(article, *, by=None):
    """→ published now; the first publication date is kept (``publication_time``)."""
    return _move(article, "publish", by=by)


def unpublish(article, *, by=None):
    """Published, scheduled or archived → unpublished: gone from every public page."""
    return _move(article, "unpublish", by=by)


def archive(article, *, by=None):
    """Published → archived: still readable, closed to comments."""
    return _move(article, "archive", by=by)


# name: (label, states it starts from, state it ends in, needs the publish permission)
MOVES = {
    "submit": ("Submit for review", {Status.DRAFT, Status.UNPUBLISHED}, Status.REVIEW, False),
    "request_changes": ("Request changes", {Status.REVIEW}, Status.DRAFT, True),
    "schedule": (
        "Schedule",
        {Status.DRAFT, Status.REVIEW, Status.SCHEDULED, Status.UNPUBLISHED},
        Status.SCHEDULED,
        True,
    ),
    "publish": (
        "Publish now",
        {Status.DRAFT, Status.REVIEW, Status.SCHEDULED, Status.UNPUBLISHED},
        Status.PUBLISHED,
        True,
    ),
    "unpublish": (
        "Unpublish",
        {Status.SCHEDULED, Status.PUBLISHED, Status.ARCHIVED},
        Status.UNPUBLISHED,
        True,
    ),
    "archive": ("Archive", {Status.PUBLISHED, Status.SCHEDULED}, Status.ARCHIVED, True),
}
# Moves that make an article public, now or at its time: they need a standfirst.
PUBLIC_MOVES = {"schedule": "scheduling", "publish": "publishing"}
FUNCTIONS = {
    "submit": submit,
    "request_changes": request_changes,
    "schedule": schedule,
    "publish": publish,
    "unpublish": unpublish,
    "archive": archive,
}


def available(article, user):
    """The names of the moves ``user`` may make on ``article`` now, in ``MOVES`` order."""
    return [name for name in MOVES if _problem(article, name, user) is None]


def check(article, name, *, by=None, note="", at=None):
    """Raise what ``FUNCTIONS[name](article, by=by, …)`` would raise, changing nothing."""
    if name not in MOVES:
        raise TransitionError(f"There is no action called “{name}”.")
    if (problem := _problem(article, name, by)) is not None:
        raise problem
    if name in PUBLIC_MOVES and not article.standfirst.strip():
        # Cards, feeds and search results lead with it: an empty one is a broken page.
        raise TransitionError(
            f"“{article}” has no standfirst: write one before {PUBLIC_MOVES[name]} it."
        )
    if name == "request_changes" and not note.strip():
        raise TransitionError("Write a note saying what to change.")
    if name == "schedule":
        if at is None:
            raise TransitionError("Choose the date and time to publish at.")
        if at <= timezone.now():
            raise TransitionError("The scheduled time has passed: choose a time in the future.")
        if at > timezone.now() + MAX_SCHEDULE_AHEAD:
            raise TransitionError("Choose a time within the next five years.")


def _problem(article, name, user):
    label, sources, _, editors_only = MOVES[name]
    if not (can_publish(user) if editors_only else can_edit(user, article)):
        return NotAllowed(f"You may not {label.lower()} “{article}”.")
    if article.status not in sources or (name == "archive" and not article.is_published):
        return TransitionError(
            f"“{article}” is {article.get_status_display().lower()}: it cannot be "
            f"moved with “{label}”."
        )
    return None


def _move(article, name, *, by, note="", at=None):
    with transaction.atomic():
        locked = Article.objects.select_for_update().select_related("author").get(pk=article.pk)
        check(locked, name, by=by, note=note, at=at)
        from_status, to_status = locked.status, MOVES[name][2]
        if name == "schedule":
            locked.published_at = at
        elif name == "publish":
            locked.published_at = publication_time(locked.published_at)
        locked.status = to_status
        locked.save(update_fields=["status", "published_at", "updated_at"])
        Transition.objects.create(
            article=locked, from_status=from_status, to_status=to_status, by=by, note=note.strip()
        )
        page_cache.content_changed()
    article.status, article.published_at = locked.status, locked.published_at
    article.updated_at = locked.updated_at
    return article
