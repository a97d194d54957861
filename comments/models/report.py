from django.db import models
from django.utils import timezone

from .comment import Comment


class CommentReport(models.Model):
    """One reader's report of a comment: one per client address and comment.

    A report never hides a comment; it puts it in front of moderators.
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
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "ip_hash"], name="comment_report_once_per_client"
            ),
        ]

    def __str__(self):
        return f"Report of comment {self.comment_id} ({self.reason or 'no reason'})"
