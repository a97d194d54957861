from django.db import models


def normalise_email(email):
    """One spelling per address: trimmed and lower-cased (mail hosts ignore case in practice)."""
    return (email or "").strip().lower()


class CommenterQuerySet(models.QuerySet):
    def for_email(self, email):
        return self.filter(email=normalise_email(email)) if email else self.none()


class Commenter(models.Model):
    """What the site knows of one e-mail address: whether it was proven, and its standing.

    A typed address proves nothing: ``verified_at`` is set only when someone
    opened a link mailed to it. ``standing`` is a moderator's choice and
    applies to every comment sent with the address, verified or not, except
    ``trusted``, which applies only to a comment whose sender proved the address.
    """

    class Standing(models.TextChoices):
        NORMAL = "normal", "normal"
        PREMODERATE = "premoderate", "always pre-moderate"
        TRUSTED = "trusted", "trusted"
        BANNED = "banned", "banned"

    email = models.EmailField(unique=True, help_text="Lower case; never shown on the site.")
    standing = models.CharField(
        max_length=12,
        choices=Standing,
        default=Standing.NORMAL,
        help_text=(
            "Trusted: published at once when the sender proved the address. Always "
            "pre-moderate: never published at once. Banned: straight to spam, unannounced."
        ),
    )
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommenterQuerySet.as_manager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return f"{self.email} ({self.get_standing_display()})"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)
