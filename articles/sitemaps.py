"""Sitemaps over what the public may see: the same querysets as the pages."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from places.models import Actor, Country, Region

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


class RegionSitemap(Sitemap):
    """Regions with coverage: an article about them, a sub-region or one of their countries."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        covered = set(Region.objects.with_coverage().values_list("pk", flat=True))
        covered |= set(Country.objects.with_coverage().values_list("region_id", flat=True))
        regions = list(Region.objects.order_by("slug"))
        parents = {region.pk: region.parent_id for region in regions}
        for region_id in list(covered):
            while parents.get(region_id):
                region_id = parents[region_id]
                covered.add(region_id)
        return [region for region in regions if region.pk in covered]


class CountrySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Country.objects.with_coverage().order_by("code")


class ActorSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return Actor.objects.with_coverage().order_by("slug")


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
