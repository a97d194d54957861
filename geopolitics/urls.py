from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from articles import editor_views
from articles.sitemaps import (
    ActorSitemap,
    ArticleSitemap,
    AuthorSitemap,
    CountrySitemap,
    NewsSitemap,
    RegionSitemap,
    TagSitemap,
)

from . import views

sitemaps = {
    "articles": ArticleSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
    "regions": RegionSitemap,
    "countries": CountrySitemap,
    "actors": ActorSitemap,
}
handler500 = "geopolitics.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # django-markdownx's JavaScript posts to these names; our views replace
    # its own, which are open to anyone and store uploads as sent.
    path("markdownx/markdownify/", editor_views.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", editor_views.upload_image, name="markdownx_upload"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "sitemap-news.xml",
        sitemap,
        {"sitemaps": {"news": NewsSitemap}, "template_name": "articles/sitemap_news.xml"},
        name="sitemap-news",
    ),
    path("__preview__/<str:code>/", views.error_page_preview, name="error-preview"),
    path("comments/", include("comments.urls")),
    path("", include("pages.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", views.media, name="media")]

admin.site.site_header = f"{settings.SITE_NAME} newsroom"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Desk"
