"""Sitemaps over what the public may see: the same querysets as the pages."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from .models import Article, Author, public_tags


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().order_by("-published_at")

    def lastmod(self, obj):
        return obj.updated_at


class AuthorSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Author.objects.public().order_by("slug")

    def lastmod(self, obj):
        return obj.updated_at


class TagSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return public_tags().order_by("slug")

    def location(self, obj):
        return reverse("articles:tag", kwargs={"slug": obj.slug})


class NewsSitemap(Sitemap):
    """Google News: published articles of the last two days, at most 1,000 (Google's limits).

    Rendered by ``articles/sitemap_news.xml`` with the ``news:`` namespace;
    each entry's ``item`` is the article, the publication is ``SITE_NAME`` in
    the site's language (``LANGUAGE_CODE``, as ISO 639: "en").
    """

    limit = 1000
    window = datetime.timedelta(days=2)

    def items(self):
        since = timezone.now() - self.window
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .order_by("-published_at", "-pk")
            .only("slug", "title", "published_at")
        )

    def lastmod(self, obj):
        return obj.published_at
