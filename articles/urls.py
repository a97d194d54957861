from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from . import feeds, place_feeds, place_views, preview_views, views


class UnicodeSlugConverter:
    """Slugs in any script: taggit keeps "Арктика" as a Unicode tag slug."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class CountryCodeConverter:
    """Two ASCII letters; the view sends an upper-case code to its lowercase address."""

    regex = r"[A-Za-z]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")
register_converter(CountryCodeConverter, "iso")

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("preview/<str:token>/", preview_views.preview, name="preview"),
    path("tags/<uslug:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorArticleListView.as_view(), name="author"),
    path("feed/", require_safe(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", require_safe(feeds.AtomLatestArticlesFeed()), name="feed-atom"),
    path("tags/<uslug:slug>/feed/", require_safe(feeds.TagArticlesFeed()), name="tag-feed"),
    path(
        "tags/<uslug:slug>/feed/atom/",
        require_safe(feeds.AtomTagArticlesFeed()),
        name="tag-feed-atom",
    ),
    path("authors/<slug:slug>/feed/", require_safe(feeds.AuthorArticlesFeed()), name="author-feed"),
    path(
        "authors/<slug:slug>/feed/atom/",
        require_safe(feeds.AtomAuthorArticlesFeed()),
        name="author-feed-atom",
    ),
    path("world/", place_views.WorldView.as_view(), name="world"),
    path("regions/<slug:slug>/", place_views.RegionView.as_view(), name="region"),
    path("countries/<iso:code>/", place_views.CountryView.as_view(), name="country"),
    path("actors/<slug:slug>/", place_views.ActorView.as_view(), name="actor"),
    path("regions/<slug:slug>/feed/", require_safe(place_feeds.RegionFeed()), name="region-feed"),
    path(
        "regions/<slug:slug>/feed/atom/",
        require_safe(place_feeds.AtomRegionFeed()),
        name="region-feed-atom",
    ),
    path(
        "countries/<iso:code>/feed/", require_safe(place_feeds.CountryFeed()), name="country-feed"
    ),
    path(
        "countries/<iso:code>/feed/atom/",
        require_safe(place_feeds.AtomCountryFeed()),
        name="country-feed-atom",
    ),
    path("actors/<slug:slug>/feed/", require_safe(place_feeds.ActorFeed()), name="actor-feed"),
    path(
        "actors/<slug:slug>/feed/atom/",
        require_safe(place_feeds.AtomActorFeed()),
        name="actor-feed-atom",
    ),
]
