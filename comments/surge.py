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

The exact check counts rows, so it is not run after every post (issue 8: a
post is the path a crowd takes). Each comment and report first adds one to a
count of its article's recent activity kept in the cache, per tenth of the
window (one Redis round trip); only when that count reaches the minimum does
``check`` read the database. The cache counts whole tenths, so it never
counts fewer than the database would (unless Redis lost its data, say in a
restart without persistence: then the count starts again), so a surge is not
missed; it only costs exact checks once it may be one. A cache kept per process (no ``REDIS_URL``)
would count each process's share only, another shared cache may lose counts
to a race, and a cache that cannot be reached counts nothing: then every
comment and report is checked exactly, as before.
A post already knows whether strict mode is on (``post_query``) and then
skips the check, which could start nothing.

A ``StrictMode`` row records each period (since, until, who started and ended
it). Moderators see it on the desk and turn it off (or on) there. A surge does
not switch strict mode back on within one window of its last end, so a
moderator's "off" is not undone by the tail of the same surge.
"""

import datetime
import logging

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Article

from . import policy, tasks
from .models import Comment, CommentReport, StrictMode

logger = logging.getLogger(__name__)


def is_strict(article_id):
    return StrictMode.objects.active().filter(article_id=article_id).exists()


def check_after_commit(article_id, *, what="comments"):
    """Once the caller's transaction commits, count one of ``what`` ("comments" or
    "reports") and ``check`` when the article may be surging; a failure is logged, never
    raised."""

    def run():
        try:
            if may_surge(article_id, what):
                check(article_id)
        except Exception:
            logger.exception("Could not check article %s for a surge", article_id)

    transaction.on_commit(run)


# The cache counts recent activity in this many slices of the window (and one more).
SLICES = 10


def may_surge(article_id, what, *, now=None):
    """Add one to the article's recent count of ``what`` in the cache; True when that count
    has reached the minimum that starts strict mode, or when the cache cannot count for
    every process (see the module's docstring)."""
    rules = policy.current()
    minimum = rules.surge_comments if what == "comments" else rules.surge_reports
    if minimum <= 0:
        return False
    if not counts_for_every_process():
        return True
    now = now or timezone.now()
    size = max(1, rules.surge_window // SLICES)
    current = int(now.timestamp()) // size
    keys = [
        f"comments:surge:{what}:{article_id}:{n}" for n in range(current, current - SLICES - 1, -1)
    ]
    try:
        recent = _add_one_and_sum(keys, timeout=rules.surge_window + 2 * size)
    except Exception as error:  # any backend's connection error: redis, memcached, …
        logger.warning("Surge counts unavailable (%s): checking exactly", type(error).__name__)
        return True
    return recent >= minimum


def counts_for_every_process():
    """True when the cache is Redis: one count that every server process shares, added to
    atomically (INCR). Django's other caches are per process, or add by get-then-set, which
    two processes at once can make count one instead of two."""
    return isinstance(caches["default"], RedisCache)


def _add_one_and_sum(keys, *, timeout):
    """Add one to the count under ``keys[0]``; the sum of the counts under ``keys``.

    One round trip with Redis (a pipeline); the cache API elsewhere.
    """
    if hasattr(cache, "client"):  # geopolitics.cache.RedisCache
        names = [cache.make_and_validate_key(key) for key in keys]
        pipeline = cache.client().pipeline(transaction=False)
        pipeline.incr(names[0])
        pipeline.expire(names[0], timeout)
        pipeline.mget(names[1:])
        current, _, earlier = pipeline.execute()
        return current + sum(int(count) for count in earlier if count is not None)
    cache.add(keys[0], 0, timeout=timeout)
    return cache.incr(keys[0]) + sum(cache.get_many(keys[1:]).values())


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
