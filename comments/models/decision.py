from django.conf import settings
from django.db import models
from django.utils import timezone

from .comment import Comment


class ModerationDecision(models.Model):
    """One decision on one comment, on the record: never changed, never overwritten.

    Written by ``moderation.py`` in the transaction that changes the comment,
    under the same row lock. ``moderator`` is empty for the system (a command,
    an automatic rule). A comment deleted outright keeps its decisions.
    """

    class Action(models.TextChoices):
        APPROVE = "approve", "approved"
        REJECT = "reject", "rejected"
        SPAM = "spam", "marked as spam"
        FEATURE = "feature", "featured"
        UNFEATURE = "unfeature", "unfeatured"
        DELETE = "delete", "deleted outright"
        EDIT = "edit", "edited by the commenter"
        WITHDRAW = "withdraw", "withdrawn by the commenter"
        TAKE_DOWN = "take-down", "taken down after verified readers' reports"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_decisions",
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=10, choices=Action)
    from_status = models.CharField(max_length=10, choices=Comment.Status)
    to_status = models.CharField(max_length=10, choices=Comment.Status)
    reason = models.CharField(max_length=20, choices=Comment.RemovalReason, blank=True)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["comment", "at"])]

    def __str__(self):
        who = self.moderator or "system"
        when = f"{self.at:%Y-%m-%d %H:%M}"
        return f"{who} {self.get_action_display()} comment {self.comment_id} at {when}"
