"""
What the region, country, actor and world pages show, and the maps they draw.

Articles are *about* places (``Article.countries``, ``regions``, ``actors``);
a region page lists what is about the region, its sub-regions, or any of
their countries. "Most discussed" is ``ArticleQuerySet.most_discussed``, as on
the front page.

Maps are big (about 120 KB of SVG), so each is rendered once per page-cache
generation (``page_cache.cached_fragment``), like the article body.
"""

from django.db.models import Count, Q, Subquery

from places import maps
from places.models import Actor, Country, Region

from . import page_cache
from .models import Article

# "Most discussed" ranks among this many of a place's latest articles, so a
# place with thousands of articles costs no more than one with a hundred.
DISCUSSED_CANDIDATES = 200
DISCUSSED_LENGTH = 5


def region_ids(region):
    """The region's id and its sub-regions' (the tree is small: one query per level)."""
    return region.descendant_ids()


def about_regions(ids):
    """Published articles about any region in ``ids`` or any of their countries."""
    direct = Article.regions.through.objects.filter(region_id__in=ids).values("article_id")
    through_countries = Article.countries.through.objects.filter(country__region_id__in=ids).values(
        "article_id"
    )
    return Article.objects.published().filter(Q(pk__in=direct) | Q(pk__in=through_countries))


def about_country(country):
    return Article.objects.published().filter(countries=country)


def about_actor(actor):
    return Article.objects.published().filter(actors=actor)


def most_discussed(articles, limit=DISCUSSED_LENGTH):
    """The ``limit`` articles of ``articles`` with the most approved comments (none without),
    among its newest ``DISCUSSED_CANDIDATES``, so that a busy place costs no more."""
    candidates = articles.order_by("-published_at", "-pk").values("pk")[:DISCUSSED_CANDIDATES]
    return list(Article.objects.filter(pk__in=Subquery(candidates)).most_discussed(limit=limit))


def covered_countries(countries):
    """``countries`` that published articles are about, with ``article_count``, most first."""
    return list(
        countries.with_article_counts()
        .filter(article_count__gt=0)
        .order_by("-article_count", "name")
    )


def co_occurring_actors(articles, *, exclude=None, limit=8):
    """Actors other published articles of ``articles`` are also about, most shared first."""
    shared = Actor.objects.filter(articles__in=articles.values("pk"))
    if exclude is not None:
        shared = shared.exclude(pk=exclude.pk)
    return list(shared.annotate(shared=Count("articles")).order_by("-shared", "name")[:limit])


def country_counts():
    """``{lowercase code: number of published articles}`` for every covered country."""
    published = Article.objects.published().values("pk")
    rows = (
        Article.countries.through.objects.filter(article_id__in=published)
        .values("country__code", "country__name")
        .annotate(n=Count("article_id"))
    )
    return {row["country__code"].lower(): (row["country__name"], row["n"]) for row in rows}


def world_coverage():
    """What the coverage map and its text list need, once per page-cache generation.

    A dict: ``map`` (the SVG, safe to insert), ``countries`` (``[{"code",
    "name", "count", "url"}]``, most covered first) and ``total`` (covered
    countries). For the home page, the /world/ page and anyone else:
    ``{% include "places/includes/coverage_map.html" with coverage=coverage only %}``.
    """
    return page_cache.cached_fragment("world-coverage", render=_world_coverage)


def _world_coverage():
    found = country_counts()
    countries = sorted(
        (
            {
                "code": code,
                "name": name,
                "count": count,
                "url": Country(code=code.upper()).get_absolute_url(),
            }
            for code, (name, count) in found.items()
        ),
        key=lambda row: (-row["count"], row["name"]),
    )
    svg = maps.coverage_map(
        {code: count for code, (_, count) in found.items()},
        names={code: name for code, (name, _) in found.items()},
        title="Where our analysis is",
        description=f"A world map shading the {len(countries)} countries our published "
        "articles are about, darker for more articles; each links to its country page. "
        "The list beside the map says the same.",
    )
    return {"map": svg, "countries": countries, "total": len(countries)}


def place_map(kind, key, codes, *, title, description):
    """A map with ``codes`` highlighted, rendered once per generation for ``(kind, key)``."""
    return page_cache.cached_fragment(
        "place-map",
        kind,
        key,
        render=lambda: maps.place_map(codes, title=title, description=description),
    )


def top_regions():
    """Top-level regions for the header, once per generation: ``[{"name", "url"}]``."""
    return page_cache.cached_fragment("region-nav", render=_top_regions)


def _top_regions():
    return [
        {"name": region.name, "url": region.get_absolute_url()}
        for region in Region.objects.filter(parent=None).only("name", "slug")
    ]
