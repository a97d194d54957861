"""
Preview links: a signed, expiring, revocable address that shows a draft to anyone holding it.

The token in ``/preview/<token>/`` is the link's id signed with SECRET_KEY and
a salt of its own (``django.core.signing``), so a guessed or edited token
fails before the database is asked. Expiry (``expires_at``) and revocation
(``revoked_at``) live in the database, so an editor can end a link at once.
The page a link shows is marked noindex and never stored by any cache
(``articles/preview_views.py``).
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone

SALT = "articles.preview-link"
DEFAULT_LIFETIME = datetime.timedelta(days=7)


def default_expiry():
    return timezone.now() + DEFAULT_LIFETIME


class PreviewLink(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="preview_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(
        default=default_expiry, help_text="After this moment the link shows nothing."
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Preview of “{self.article}” until {self.expires_at:%d %B %Y %H:%M}"

    def get_absolute_url(self):
        return reverse("articles:preview", kwargs={"token": self.token})

    @property
    def token(self):
        """The same token every time for a link, so a copied address stays the one to revoke."""
        return signing.Signer(salt=SALT).sign_object(self.pk)

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_active(self):
        return self.revoked_at is None and not self.is_expired


class LinkExpired(Exception):
    """The token is genuine but the link's time is over."""


def link_for_token(token):
    """The active ``PreviewLink`` a token names; ``None`` if forged, unknown or revoked.

    Raises ``LinkExpired`` for a genuine, unrevoked link past its expiry, so
    the view can say so (410) rather than pretend it never existed.
    """
    try:
        pk = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(pk, int):
        return None
    link = (
        PreviewLink.objects.select_related("article__author")
        .filter(pk=pk, revoked_at__isnull=True)
        .first()
    )
    if link is not None and link.is_expired:
        raise LinkExpired
    return link


def revoke(link, *, at=None):
    """End ``link`` now (idempotent); returns the link."""
    if link.revoked_at is None:
        link.revoked_at = at or timezone.now()
        link.save(update_fields=["revoked_at"])
    return link
