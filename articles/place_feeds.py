"""RSS and Atom feeds of published articles about a region, a country or an actor.

As the pages: every region and country has a feed (empty until something is
published about it); an actor's feed exists only while its page does. An
upper-case country code redirects to the lower-case feed, as the page does.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from places.models import Actor, Country, Region

from . import place_pages
from .feeds import FEED_LENGTH, LatestArticlesFeed
from .place_views import lowercase_code_redirect


class PlaceFeed(LatestArticlesFeed):
    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return self.about(obj).for_feed().order_by("-published_at", "-pk")[:FEED_LENGTH]


class RegionFeed(PlaceFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Region, slug=slug)

    def about(self, obj):
        return place_pages.about_regions(place_pages.region_ids(obj))


class CountryFeed(PlaceFeed):
    url_name = "articles:country-feed"

    def __call__(self, request, *args, **kwargs):
        moved = lowercase_code_redirect(request, self.url_name, kwargs["code"])
        return moved or super().__call__(request, *args, **kwargs)

    def get_object(self, request, code):
        return get_object_or_404(Country, code=code.upper())

    def about(self, obj):
        return place_pages.about_country(obj)


class ActorFeed(PlaceFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Actor.objects.with_coverage(), slug=slug)

    def about(self, obj):
        return place_pages.about_actor(obj)


class AtomRegionFeed(RegionFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class AtomCountryFeed(CountryFeed):
    url_name = "articles:country-feed-atom"
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class AtomActorFeed(ActorFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
