from django.contrib import admin

from articles.admin import ChangesPublicPages

from .models import Page


@admin.register(Page)
class PageAdmin(ChangesPublicPages, admin.ModelAdmin):
    """Every save shows on the next request: the page and the footer are in the page cache."""

    list_display = ["title", "slug", "updated_at"]
    fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
