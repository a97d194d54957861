from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from markdownx.views import ImageUploadView, MarkdownifyView

from articles.sitemaps import ArticleSitemap, AuthorSitemap, TagSitemap

from . import views

sitemaps = {"articles": ArticleSitemap, "authors": AuthorSitemap, "tags": TagSitemap}
handler500 = "geopolitics.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # django-markdownx's preview and upload views are open to anyone by
    # default; only staff editing in the admin may use them.
    path(
        "markdownx/markdownify/",
        staff_member_required(MarkdownifyView.as_view()),
        name="markdownx_markdownify",
    ),
    path(
        "markdownx/upload/",
        staff_member_required(ImageUploadView.as_view()),
        name="markdownx_upload",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("comments/", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", views.media, name="media")]

admin.site.site_header = f"{settings.SITE_NAME} newsroom"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Desk"
