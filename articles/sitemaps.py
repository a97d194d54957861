"""Sitemaps over what the public may see: the same querysets as the pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

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
