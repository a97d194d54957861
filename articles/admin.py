from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from markdownx.admin import MarkdownxModelAdmin
from taggit.admin import TagAdmin
from taggit.models import Tag

from . import page_cache
from .models import Article, Author, Figure, Section, SocialLink, tag_name_problem
from .renditions import discard_renditions
from .search import refresh_search_vector, refresh_search_vectors
from .uploads import ReencodedImageField


class ChangesPublicPages:
    """Admin mixin: every save or delete here renders public pages afresh (page_cache)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        page_cache.content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        page_cache.content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        page_cache.content_changed()


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "standfirst",
            "author",
            "tags",
            "status",
            "published_at",
            "comments_open",
        ]

    def clean_tags(self):
        names = self.cleaned_data.get("tags") or []
        problems = [problem for name in names if (problem := tag_name_problem(name))]
        if problems:
            raise forms.ValidationError(problems)
        return names


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = [("position", "level"), "heading", "anchor", "body"]
    ordering = ["position", "id"]


# Every image an editor uploads is re-encoded by Pillow under a random name
# (articles/uploads.py): no file reaches MEDIA_ROOT as the client sent it.
REENCODED_IMAGES = {models.ImageField: {"form_class": ReencodedImageField}}


class FigureInline(admin.TabularInline):
    model = Figure
    formfield_overrides = REENCODED_IMAGES
    extra = 0
    fields = ["position", "image", "alt_text", "caption", "credit", "section"]
    ordering = ["position", "id"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the sections of the article being edited.
        if db_field.name == "section":
            article_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(article_id=article_id or None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Article)
class ArticleAdmin(ChangesPublicPages, MarkdownxModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "author", "status", "published_at", "section_count", "view_link"]
    list_filter = ["status", "author", "tags"]
    list_select_related = ["author"]
    search_fields = ["title", "standfirst", "slug", "author__name"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["author"]
    inlines = [SectionInline, FigureInline]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "author", "tags"]}),
        ("Publishing", {"fields": ["status", "published_at", "comments_open"]}),
    ]

    class Media:
        js = ["articles/admin/markdownx_inlines.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sections_total=Count("sections"))

    def delete_queryset(self, request, queryset):
        # A bulk delete skips Article.delete(), which discards figure renditions.
        with transaction.atomic():
            discard_renditions(list(Figure.objects.filter(article__in=queryset)))
            super().delete_queryset(request, queryset)

    def save_related(self, request, form, formsets, change):
        # The search vector reads the sections and tags, saved only now.
        super().save_related(request, form, formsets, change)
        refresh_search_vector(form.instance)

    @admin.display(description="Sections", ordering="sections_total")
    def section_count(self, obj):
        return obj.sections_total

    @admin.display(description="Page")
    def view_link(self, obj):
        label = "View" if obj.is_published else "Preview"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish_selected(self, request, queryset):
        count = 0
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            article.status = Article.Status.PUBLISHED
            article.published_at = article.published_at or timezone.now()
            article.save(update_fields=["status", "published_at", "updated_at"])
            count += 1
        page_cache.content_changed()
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
    def unpublish_selected(self, request, queryset):
        count = queryset.filter(status=Article.Status.PUBLISHED).update(
            status=Article.Status.DRAFT, updated_at=timezone.now()
        )
        page_cache.content_changed()
        self.message_user(request, f"Moved {count} article(s) back to draft.", messages.SUCCESS)


class SocialLinkInline(admin.TabularInline):
    model = SocialLink
    # A profile address typed without a scheme is taken as https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    extra = 0
    fields = ["position", "platform", "url", "handle", "followers", "following"]


@admin.register(Author)
class AuthorAdmin(ChangesPublicPages, MarkdownxModelAdmin):
    formfield_overrides = {**MarkdownxModelAdmin.formfield_overrides, **REENCODED_IMAGES}
    list_display = ["name", "job_title", "company"]
    search_fields = ["name", "company"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SocialLinkInline]
    fieldsets = [
        ("Public profile", {"fields": ["name", "slug", "job_title", "company", "bio", "avatar"]}),
        (
            "Private",
            {
                "classes": ["collapse"],
                "description": "For the newsroom only. Never shown on the public site.",
                "fields": ["email", "phone", "postal_address", "birth_date"],
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_search_vectors(obj.articles.all())  # search finds articles by author name


# taggit's own admin, with renames and deletions shown on public pages at once.
admin.site.unregister(Tag)


@admin.register(Tag)
class PublicTagAdmin(ChangesPublicPages, TagAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_search_vectors(Article.objects.filter(tags=obj))  # search finds tag names
        page_cache.content_changed()

    def merge_tags_view(self, request):
        response = super().merge_tags_view(request)
        if request.method == "POST":
            page_cache.content_changed()
        return response
