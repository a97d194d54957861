from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models import Article


class StrictModeQuerySet(models.QuerySet):
    def active(self, *, now=None):
        """Periods in force now: begun, and not yet ended (``until`` blank or later)."""
        now = now or timezone.now()
        return self.filter(Q(until__isnull=True) | Q(until__gt=now), since__lte=now)


class StrictMode(models.Model):
    """A period when one article's discussion is under strict moderation (``surge.py``).

    Started automatically by a surge (``started_by`` blank) or by a moderator
    from the desk; ended by ``until`` passing or by a moderator (``ended_by``).
    Rows are never deleted: they are the record of every switch.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="strict_modes")
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = StrictModeQuerySet.as_manager()

    class Meta:
        ordering = ["-since", "-pk"]
        indexes = [models.Index(fields=["article", "-since"], name="strict_mode_article_since")]

    def __str__(self):
        return f"Strict mode on {self.article} since {self.since:%Y-%m-%d %H:%M}"
