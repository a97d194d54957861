from django.db import models
from django.utils import timezone


class UsedFormToken(models.Model):
    """The nonce of a comment form that was sent: each form posts one comment.

    Written in the same transaction as the comment; rows older than
    ``COMMENTS_MAX_FORM_AGE`` are deleted, as their tokens have expired anyway.
    """

    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-used_at"]

    def __str__(self):
        return self.nonce
