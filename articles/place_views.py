"""
Pages by place: a region, a country, an actor, and the world's coverage.

Region and country pages are reference pages: every seeded place has one,
saying "No analysis yet" until a published article is about it. An actor
page exists only while a published article is about the actor (as a tag
page), so a name typed into a draft is never public.
"""

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import ListView, TemplateView

from places.models import Actor, Country, Region

from . import place_pages
from .views import PublishedArticlesMixin


def lowercase_code_redirect(request, url_name, code):
    """The permanent redirect of an upper-case country code's page or feed to its
    lower-case address, with the query string (``?page=2``) kept; None when already lower."""
    if code == code.lower():
        return None
    url = reverse(url_name, kwargs={"code": code.lower()})
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


class PlaceArticlesMixin(PublishedArticlesMixin):
    """A place's published articles, newest first, with the most discussed and related places.

    Subclasses set ``place`` in ``get_place()`` and say which articles are
    about it (``about()``); the template gets ``place``, ``article_list``,
    ``most_discussed``, ``map_svg`` and whatever ``related()`` adds.
    """

    def get_queryset(self):
        self.place = self.get_place()
        return self.about().for_listing().order_by("-published_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            place=self.place,
            most_discussed=place_pages.most_discussed(self.about()),
            **self.related(),
        )
        return context


class RegionView(PlaceArticlesMixin, ListView):
    """A region. Template ``places/region_detail.html``; context also ``region``,
    ``parent``, ``children``, ``countries`` (all, for the text list beside the map) and
    ``covered`` (countries with published articles, with ``article_count``)."""

    template_name = "places/region_detail.html"

    def get_place(self):
        region = get_object_or_404(
            Region.objects.select_related("parent"), slug=self.kwargs["slug"]
        )
        self.ids = place_pages.region_ids(region)
        return region

    def about(self):
        return place_pages.about_regions(self.ids)

    def related(self):
        region = self.place
        countries = Country.objects.filter(region_id__in=self.ids)
        codes = [country.code for country in countries]
        return {
            "region": region,
            "children": list(region.children.all()),
            "countries": list(countries),
            "covered": place_pages.covered_countries(countries),
            "map_svg": place_pages.place_map(
                "region",
                region.pk,
                codes,
                title=f"{region.name} on a world map",
                description=f"A world map with the {len(codes)} countries of {region.name} "
                "highlighted. They are listed beside the map.",
            ),
        }


class CountryView(PlaceArticlesMixin, ListView):
    """A country, at its lowercase ISO code (an upper-case code redirects there).
    Template ``places/country_detail.html``; context also ``country``, ``region`` and
    ``neighbours`` (countries of the same region with published articles)."""

    template_name = "places/country_detail.html"

    def get(self, request, *args, **kwargs):
        moved = lowercase_code_redirect(request, "articles:country", self.kwargs["code"])
        return moved or super().get(request, *args, **kwargs)

    def get_place(self):
        return get_object_or_404(
            Country.objects.select_related("region"), code=self.kwargs["code"].upper()
        )

    def about(self):
        return place_pages.about_country(self.place)

    def related(self):
        country = self.place
        neighbours = Country.objects.filter(region=country.region).exclude(pk=country.pk)
        return {
            "country": country,
            "region": country.region,
            "neighbours": place_pages.covered_countries(neighbours),
            "actors": place_pages.co_occurring_actors(self.about()),
            "map_svg": place_pages.place_map(
                "country",
                country.code,
                [country.code],
                title=f"{country.name} on a world map",
                description=f"A world map with {country.name} highlighted, "
                f"in {country.region.name}.",
            ),
        }


class ActorView(PlaceArticlesMixin, ListView):
    """An actor with published articles about it; any other is a 404.
    Template ``places/actor_detail.html``; context also ``actor`` and ``actors``
    (others often in the same articles)."""

    template_name = "places/actor_detail.html"
    allow_empty = False

    def get_place(self):
        return get_object_or_404(
            Actor.objects.with_coverage().select_related("country"), slug=self.kwargs["slug"]
        )

    def about(self):
        return place_pages.about_actor(self.place)

    def related(self):
        return {
            "actor": self.place,
            "actors": place_pages.co_occurring_actors(self.about(), exclude=self.place),
            "map_svg": None,
        }


class WorldView(TemplateView):
    """Where the coverage is: the shaded map, its text list, and the regions.
    Template ``places/world.html``; context ``coverage`` (``place_pages.world_coverage()``)
    and ``regions`` (the top-level regions with their ``children``)."""

    template_name = "places/world.html"

    def get_context_data(self, **kwargs):
        regions = list(Region.objects.filter(parent=None).prefetch_related("children"))
        return super().get_context_data(
            coverage=place_pages.world_coverage(),
            regions=regions,
            **kwargs,
        )
