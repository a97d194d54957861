"""
Surge defence: an article flooded with comments or reports goes into strict mode.

After each comment or report commits, ``check`` compares the article's
comments (and reports) in the last ``COMMENTS_SURGE_WINDOW`` seconds with its
usual rate per window since publication (at most ``COMMENTS_SURGE_BASELINE_DAYS``
back). When the recent count reaches ``COMMENTS_SURGE_COMMENTS`` (or
``COMMENTS_SURGE_REPORTS``) and is more than ``COMMENTS_SURGE_FACTOR`` times the
usual, the article switches to strict mode for ``COMMENTS_STRICT_MODE_HOURS``
and moderators get one e-mail (queued after the commit). While it lasts:

- every new comment waits for a moderator (held, with the reason "article in
  strict mode"; with a link also "link while in strict mode");
- a new commenter (no proven address with an approved comment) may post
  ``COMMENTS_STRICT_RATE_LIMIT`` comments a minute instead of
  ``COMMENTS_RATE_LIMIT`` (``policy.comment_rate_limit``);
- the reader is told only that the comment awaits moderation, never why.

A ``StrictMode`` row records each period (since, until, who started and ended
it). Moderators see it on the desk and turn it off (or on) there. A surge does
not switch strict mode back on within one window of its last end, so a
moderator's "off" is not undone by the tail of the same surge.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from articles.models import Article

from . import policy, tasks
from .models import Comment, CommentReport, StrictMode

logger = logging.getLogger(__name__)


def in_force():
    """An ``Exists`` to annotate articles with: is strict mode on for it now?"""
    return Exists(StrictMode.objects.active().filter(article=OuterRef("pk")))


def is_strict(article_id):
    return StrictMode.objects.active().filter(article_id=article_id).exists()


def check_after_commit(article_id):
    """Run ``check`` once the caller's transaction commits; a failure is logged, never raised."""

    def run():
        try:
            check(article_id)
        except Exception:
            logger.exception("Could not check article %s for a surge", article_id)

    transaction.on_commit(run)


def check(article_id, *, now=None):
    """Switch the article to strict mode if comments or reports surge; the new period or None."""
    rules = policy.current()
    thresholds = [
        (rules.surge_comments, _recent_comments, "comments"),
        (rules.surge_reports, _recent_reports, "reports"),
    ]
    now = now or timezone.now()
    window = datetime.timedelta(seconds=rules.surge_window)
    # The recent counts first: on almost every post they are far below the
    # minimum, and nothing else need be read (issue 8: a post stays cheap).
    recent = {
        what: count(article_id, now - window, now)
        for minimum, count, what in thresholds
        if minimum > 0
    }
    if not any(recent[what] >= minimum for minimum, _, what in thresholds if what in recent):
        return None
    # On now, or ended within the last window: nothing to switch on.
    recent_or_on = Q(until__isnull=True) | Q(until__gt=now - window)
    if StrictMode.objects.filter(recent_or_on, article_id=article_id).exists():
        return None
    published_at = (
        Article.objects.filter(pk=article_id).values_list("published_at", flat=True).first()
    )
    if published_at is None:
        return None
    baseline_start = max(published_at, now - datetime.timedelta(days=rules.surge_baseline_days))
    windows = max((now - window - baseline_start) / window, 1)
    for minimum, count, what in thresholds:
        if what not in recent or recent[what] < minimum:
            continue
        usual = count(article_id, baseline_start, now - window) / windows
        if recent[what] > rules.surge_factor * usual:
            minutes = rules.surge_window // 60
            reason = f"surge: {recent[what]} {what} in {minutes} minutes (usually {usual:.1f})"
            until = now + datetime.timedelta(hours=rules.strict_mode_hours)
            return start(article_id, reason=reason, until=until, now=now)
    return None


def start(article_id, *, moderator=None, reason="", until=None, now=None):
    """Put the article in strict mode; None when it already is.

    A switch without a moderator (a surge) alerts the moderators, once, after
    the commit. The article's row is locked, so two checks at once start one period.
    """
    now = now or timezone.now()
    with transaction.atomic():
        Article.objects.select_for_update().filter(pk=article_id).first()
        # Not ended, whatever its start: a check that read the clock a moment
        # before another started one must not start a second.
        not_ended = Q(until__isnull=True) | Q(until__gt=now)
        if StrictMode.objects.filter(not_ended, article_id=article_id).exists():
            return None
        mode = StrictMode.objects.create(
            article_id=article_id, since=now, until=until, reason=reason, started_by=moderator
        )
        if moderator is None:
            tasks.enqueue_on_commit(tasks.notify_moderators_of_surge, mode.pk)
    return mode


def end(article_id, *, moderator=None, now=None):
    """End strict mode on the article; the periods ended (empty when it was not on)."""
    now = now or timezone.now()
    with transaction.atomic():
        Article.objects.select_for_update().filter(pk=article_id).first()
        modes = list(StrictMode.objects.active(now=now).filter(article_id=article_id))
        for mode in modes:
            mode.until = mode.ended_at = now
            mode.ended_by = moderator
            mode.save(update_fields=["until", "ended_at", "ended_by"])
    return modes


def _recent_comments(article_id, start, end):
    return Comment.objects.filter(
        article_id=article_id, created_at__gte=start, created_at__lt=end
    ).count()


def _recent_reports(article_id, start, end):
    return CommentReport.objects.filter(
        comment__article_id=article_id, created_at__gte=start, created_at__lt=end
    ).count()
