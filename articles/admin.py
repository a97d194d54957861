from adminsortable2.admin import SortableAdminBase, SortableStackedInline, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from markdownx.admin import MarkdownxModelAdmin
from taggit.admin import TagAdmin
from taggit.models import Tag

from . import page_cache
from .forms import FigureForm, FigureFormSet, FigureImageInput, SectionForm
from .models import Article, Author, Figure, Section, SocialLink, tag_name_problem
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


class SectionInline(SortableStackedInline):
    """Sections in reading order: dragged by their title bar (django-admin-sortable2)
    or moved with "Move up" / "Move down" (articles/admin/section_editor.js);
    ``position`` is a hidden field, and a new section goes at the end."""

    model = Section
    form = SectionForm
    extra = 0
    fields = [("level", "heading"), "anchor", "body", "key"]
    ordering = ["position", "id"]


# Every image an editor uploads is re-encoded by Pillow under a random name
# (articles/uploads.py): no file reaches MEDIA_ROOT as the client sent it.
REENCODED_IMAGES = {models.ImageField: {"form_class": ReencodedImageField}}


class FigureInline(SortableTabularInline):
    model = Figure
    form = FigureForm
    formset = FigureFormSet
    formfield_overrides = {
        models.ImageField: {"form_class": ReencodedImageField, "widget": FigureImageInput}
    }
    extra = 0
    fields = ["image", "alt_text", "caption", "credit", "section"]
    ordering = ["position", "id"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # One query for every row's "Section" select (formset.form is a class of this request).
        sections = obj.sections.all() if obj is not None and obj.pk else []
        formset.form.saved_sections = {str(section.pk): section for section in sections}
        return formset


@admin.register(Article)
class ArticleAdmin(ChangesPublicPages, SortableAdminBase, MarkdownxModelAdmin):
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
        js = ["articles/admin/markdownx_inlines.js", "articles/admin/section_editor.js"]
        css = {"all": ["articles/admin/section_editor.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sections_total=Count("sections"))

    def save_related(self, request, form, formsets, change):
        self.unplace_figures_from_deleted_sections(formsets)
        super().save_related(request, form, formsets, change)
        self.place_figures_in_new_sections(request, formsets)
        # The search vector reads the sections and tags, saved only now.
        refresh_search_vector(form.instance)

    def unplace_figures_from_deleted_sections(self, formsets):
        """A figure edited in the same form that deletes its section follows the last
        section (as the database does for figures not edited), instead of pointing at
        a deleted row."""
        deleted = {
            f.instance.pk for fs in formsets if fs.model is Section for f in fs.deleted_forms
        }
        for formset in formsets:
            if formset.model is Figure:
                for figure_form in formset.forms:
                    if figure_form.instance.section_id in deleted:
                        figure_form.instance.section = None

    def place_figures_in_new_sections(self, request, formsets):
        """Give each figure placed in a section of this same form (``new:<key>``,
        articles/forms.py) that section, now that it is saved."""
        saved = {}
        placed = []
        for formset in formsets:
            deleted = set(formset.deleted_forms) if formset.can_delete else set()
            live = [f for f in formset.forms if f not in deleted and f.instance.pk]
            if formset.model is Section:
                saved |= {
                    f.cleaned_data["key"]: f.instance for f in live if f.cleaned_data.get("key")
                }
            elif formset.model is Figure:
                placed += [(f.instance, f.section_key) for f in live if f.section_key]
        for figure, key in placed:
            figure.section = saved.get(key)
            if figure.section is None:
                self.message_user(
                    request,
                    f"The figure “{figure}” follows the last section: its section was removed.",
                    messages.WARNING,
                )
            else:
                figure.save(update_fields=["section"])

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
