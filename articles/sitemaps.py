from django.contrib.sitemaps import Sitemap

from .models import Article, Author


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
        return Author.objects.filter(articles__in=Article.objects.published()).distinct()

    def lastmod(self, obj):
        return obj.updated_at
