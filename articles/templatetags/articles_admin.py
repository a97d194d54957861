"""Tags for the admin's own templates (never public pages)."""

from django import template
from django.urls import reverse

from articles.models import Article

register = template.Library()


@register.simple_tag
def review_queue():
    """``(count, url)`` of the articles waiting for review, for the admin index."""
    url = reverse("admin:articles_article_changelist") + f"?status__exact={Article.Status.REVIEW}"
    return Article.objects.filter(status=Article.Status.REVIEW).count(), url
