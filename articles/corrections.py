"""
Corrections, updates and clarifications appended to a published article.

A note is what makes an article "Updated": the byline, the feeds and the
JSON-LD read the latest note (or an editor's "material update"), never the
row's ``updated_at``, which moves on every save. Notes are added through the
article admin's inline, whose save already renders public pages afresh.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .markdown import plain_text, render_markdown

# An editor's clock and the server's may differ by a few minutes.
CLOCK_SKEW = datetime.timedelta(minutes=5)


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"
        CLARIFICATION = "clarification", "Clarification"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(
        help_text="What was wrong and what the article says now. Markdown (links, emphasis)."
    )
    text_html = models.TextField(blank=True, editable=False)
    published_at = models.DateTimeField(
        "date",
        default=timezone.now,
        help_text="Shown beside the note and as the article's update date.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["published_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.published_at:%d %B %Y}"

    def clean(self):
        # Readers see the date as the article's update date: it cannot lie ahead,
        # nor before the article was published.
        if self.published_at is None:
            return
        if self.published_at > timezone.now() + CLOCK_SKEW:
            raise ValidationError({"published_at": "A note cannot be dated in the future."})
        published = self.article.published_at if self.article_id else None
        if published and self.published_at < published:
            raise ValidationError(
                {"published_at": "Date the note on or after the article's publication."}
            )

    def save(self, *args, **kwargs):
        # A prefix of its own keeps a footnote's ids apart from the sections' ones.
        self.text_html = render_markdown(
            self.text, id_prefix=f"note-{self.published_at:%Y%m%d%H%M%S%f}"
        )
        super().save(*args, **kwargs)

    @property
    def plain_text(self):
        """The note as readers see it, without markup (JSON-LD)."""
        return plain_text(self.text_html)
