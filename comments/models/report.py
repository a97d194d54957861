from django.db import models
from django.utils import timezone

from .comment import Comment
from .commenter import Commenter


class CommentReport(models.Model):
    """One reader's report of a comment: one per client address and comment, and
    one per verified reader and comment.

    A report puts the comment in front of moderators. Only reports from
    ``COMMENTS_REPORTS_TO_HIDE`` distinct verified readers (``reporter``: the
    browser proved the reader's address) take it down by themselves.
    """

    class Reason(models.TextChoices):
        ABUSIVE = "abusive", "abusive"
        SPAM = "spam", "spam"
        OFF_TOPIC = "off-topic", "off-topic"
        PERSONAL_DATA = "personal-data", "personal data"
        OTHER = "other", "other"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    ip_hash = models.CharField("IP hash", max_length=64)
    reason = models.CharField(max_length=20, choices=Reason, blank=True)
    reporter = models.ForeignKey(
        Commenter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="reports",
        help_text="The verified reader who sent it; blank when the browser proved no address.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "ip_hash"], name="comment_report_once_per_client"
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=models.Q(reporter__isnull=False),
                name="comment_report_once_per_verified_reader",
            ),
        ]

    def __str__(self):
        return f"Report of comment {self.comment_id} ({self.reason or 'no reason'})"
