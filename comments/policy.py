"""
The moderation policy: every rule that decides where a reader's comment goes,
built once from the settings and asked by the form, the views and the
moderation functions.

Some rules refuse a submission and the reader is told why (too deep a reply,
comments closed, too many comments a minute). Others let the comment in but
hold it for a moderator, with the reasons recorded: too many links, a
blocklisted word, a body made mostly of URLs (held as spam), and on an article
in strict mode every comment, links especially (held as pending). The reader
of a held comment is told only that it awaits moderation. Nothing is dropped
without a word.

``current()`` is built from ``django.conf.settings`` on first use and rebuilt
when a test overrides a ``COMMENTS_*`` setting.
"""

import datetime
import functools
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone

URL_PATTERN = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)


@dataclass(frozen=True)
class CommentPolicy:
    # Threads and closing
    max_depth: int
    close_after_days: int
    # Spam rules
    max_links: int
    blocklist: tuple
    # Per-client rates: comments a minute (new commenters in strict mode get the
    # strict one), reports an hour
    rate_limit: int
    strict_rate_limit: int
    report_rate_limit: int
    # Seconds in which the same words from the same address are a duplicate
    duplicate_window: int
    # Trust: approvals before a proven address is published at once (0: never)
    auto_approve_after: int
    # Distinct verified readers whose reports take a comment down (0: never)
    reports_to_hide: int
    # The commenter's own changes: seconds to edit or withdraw; how similar (%) an
    # edit of a published comment must stay to remain published
    edit_window: int
    edit_typo_percent: int
    # Surges (surge.py)
    surge_window: int
    surge_comments: int
    surge_reports: int
    surge_factor: int
    surge_baseline_days: int
    strict_mode_hours: int

    @classmethod
    def from_settings(cls):
        return cls(
            max_depth=settings.COMMENTS_MAX_DEPTH,
            close_after_days=settings.COMMENTS_CLOSE_AFTER_DAYS,
            max_links=settings.COMMENTS_MAX_LINKS,
            blocklist=tuple(filter(None, (p.strip() for p in settings.COMMENTS_BLOCKLIST))),
            rate_limit=settings.COMMENTS_RATE_LIMIT,
            strict_rate_limit=settings.COMMENTS_STRICT_RATE_LIMIT,
            report_rate_limit=settings.COMMENTS_REPORT_RATE_LIMIT,
            duplicate_window=settings.COMMENTS_DUPLICATE_WINDOW,
            auto_approve_after=settings.COMMENTS_AUTO_APPROVE_AFTER,
            reports_to_hide=settings.COMMENTS_REPORTS_TO_HIDE,
            edit_window=settings.COMMENTS_EDIT_WINDOW,
            edit_typo_percent=settings.COMMENTS_EDIT_TYPO_PERCENT,
            surge_window=settings.COMMENTS_SURGE_WINDOW,
            surge_comments=settings.COMMENTS_SURGE_COMMENTS,
            surge_reports=settings.COMMENTS_SURGE_REPORTS,
            surge_factor=settings.COMMENTS_SURGE_FACTOR,
            surge_baseline_days=settings.COMMENTS_SURGE_BASELINE_DAYS,
            strict_mode_hours=settings.COMMENTS_STRICT_MODE_HOURS,
        )

    # --- Refusals --------------------------------------------------------------

    def accepts_comments(self, article, *, now=None):
        """Open unless closed (by an editor, or archived), or published too long ago."""
        if not article.accepts_comments:
            return False
        if self.close_after_days <= 0:
            return True
        now = now or timezone.now()
        return now < article.published_at + datetime.timedelta(days=self.close_after_days)

    def accepts_reply_to(self, depth):
        """Whether a comment at ``depth`` (0: top level) may be answered."""
        return depth + 1 < self.max_depth

    def comment_rate_limit(self, *, strict, established):
        """Comments a client may send a minute: fewer on an article in strict mode,
        unless the sender is an established commenter (a proven address with an
        approved comment: a campaign's fresh addresses are not)."""
        return self.strict_rate_limit if strict and not established else self.rate_limit

    # --- Holds -----------------------------------------------------------------

    def spam_reasons(self, body):
        """The reasons, if any, to hold this body as spam for a moderator to check."""
        from .models import Comment  # the models' module reads this policy too

        reasons = []
        urls = URL_PATTERN.findall(body)
        if len(urls) > self.max_links:
            reasons.append(Comment.HoldReason.TOO_MANY_LINKS)
        if self._blocklisted(body):
            reasons.append(Comment.HoldReason.BLOCKLISTED_WORD)
        visible = sum(len(word) for word in body.split())
        if urls and sum(len(url) for url in urls) * 2 > visible:
            reasons.append(Comment.HoldReason.MOSTLY_LINKS)
        return [str(reason) for reason in reasons]

    def strict_mode_reasons(self, body):
        """Why a comment sent in strict mode waits: always the mode, and any link too."""
        from .models import Comment

        reasons = [Comment.HoldReason.STRICT_MODE]
        if URL_PATTERN.search(body):
            reasons.append(Comment.HoldReason.LINK_IN_STRICT_MODE)
        return [str(reason) for reason in reasons]

    def takes_down(self, verified_reporters):
        """Whether reports from this many distinct verified readers take a comment down."""
        return self.reports_to_hide > 0 and verified_reporters >= self.reports_to_hide

    def _blocklisted(self, body):
        return any(
            re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", body, re.IGNORECASE)
            for phrase in self.blocklist
        )


@functools.cache
def current():
    """The policy in force: built once from the settings."""
    return CommentPolicy.from_settings()


@receiver(setting_changed)
def _rebuild(*, setting, **kwargs):
    # As Django's own cached settings do (django/test/signals.py): only tests change settings.
    if setting.startswith("COMMENTS_"):
        current.cache_clear()
