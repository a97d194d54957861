import copy

from adminsortable2.admin import SortableAdminBase, SortableStackedInline, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from markdownx.admin import MarkdownxModelAdmin
from taggit.admin import TagAdmin
from taggit.models import Tag

from geopolitics.admin_saves import ChecksAgainAfterARace
from places.admin_widgets import SafeAutocompleteAdmin

from . import page_cache, publishing
from .admin_revisions import ArticleRevisionsAdmin, RevisionNoteForm
from .desk_admin import CorrectionInline, CorrectionsAndPreviews, PreviewLinkInline
from .forms import FigureForm, FigureFormSet, FigureImageInput, SectionForm
from .models import (
    TITLE_WITHOUT_LETTERS,
    Article,
    Author,
    Figure,
    Section,
    SocialLink,
    has_a_letter_or_digit,
    tag_name_problem,
)
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


class ArticleAdminForm(RevisionNoteForm):
    """The article form, plus the inputs of the transition buttons.

    A button posts ``_transition`` (a name in ``publishing.MOVES``); the move
    is checked here, with the user ``ArticleAdmin.get_form`` sets, so that a
    refused one is a form error and nothing is saved. ``ArticleAdmin`` makes
    it after the save.
    """

    user = None  # set per request by ArticleAdmin.get_form

    review_note = forms.CharField(
        label="Note for the author",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required with “Request changes”: what the author should change. "
        "They see it on this page.",
    )
    schedule_at = forms.SplitDateTimeField(
        label="Publish at",
        required=False,
        widget=AdminSplitDateTime,
        help_text="Required with “Schedule”: the article appears everywhere at this time.",
    )
    material_update = forms.BooleanField(
        required=False,
        label="This save is a material update",
        help_text="Tick when the change matters to readers: the byline then says "
        "“Updated” with today's date. Fixing a typo is not a material update.",
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "standfirst",
            "author",
            "tags",
            "countries",
            "regions",
            "actors",
            "comments_open",
        ]

    def clean_title(self):
        title = self.cleaned_data.get("title", "")
        if not has_a_letter_or_digit(title):
            raise forms.ValidationError(TITLE_WITHOUT_LETTERS)
        return title

    def clean_tags(self):
        names = self.cleaned_data.get("tags") or []
        problems = [problem for name in names if (problem := tag_name_problem(name))]
        if problems:
            raise forms.ValidationError(problems)
        return names

    def clean(self):
        cleaned = super().clean()
        self.transition = self.data.get("_transition") or None
        if self.transition and cleaned.get("author"):
            article = copy.copy(self.instance)  # the move is checked against the new text
            if article.pk is None:  # a new article is a draft until the move
                article = Article(title=cleaned.get("title", ""), author=cleaned["author"])
            article.standfirst = cleaned.get("standfirst", article.standfirst)
            try:
                publishing.check(
                    article,
                    self.transition,
                    by=self.user,
                    note=cleaned.get("review_note", ""),
                    at=cleaned.get("schedule_at"),
                )
            except publishing.TransitionError as error:
                raise forms.ValidationError(str(error)) from None
        return cleaned


class FollowsArticlePermission:
    """Inline mixin: rows of an article may change only when the article may."""

    def _article_editable(self, request, obj):
        article_admin = self.admin_site.get_model_admin(Article)
        return obj is None or article_admin.has_change_permission(request, obj)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._article_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._article_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._article_editable(request, obj)


class SectionInline(FollowsArticlePermission, SortableStackedInline):
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


class FigureInline(FollowsArticlePermission, SortableTabularInline):
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


# Contributors may edit their own articles in these states; editors any, in any.
# What an article is about (places/): searched as the editor types, for every role.
PLACE_FIELDS = ["countries", "regions", "actors"]
CONTRIBUTOR_EDITABLE = {Article.Status.DRAFT, Article.Status.UNPUBLISHED}


@admin.register(Article)
class ArticleAdmin(
    SafeAutocompleteAdmin,
    ArticleRevisionsAdmin,
    ChangesPublicPages,
    CorrectionsAndPreviews,
    SortableAdminBase,
    MarkdownxModelAdmin,
):
    """Articles. Status and date change only through the transition buttons and actions
    (articles/publishing.py); contributors see and edit only their own articles."""

    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = ["title", "author", "state", "published_at", "section_count", "view_link"]
    list_filter = ["status", "lead_story", "author", "tags"]
    list_select_related = ["author"]
    search_fields = ["title", "standfirst", "slug", "author__name"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["author", *PLACE_FIELDS]
    readonly_fields = [
        "status",
        "published_at",
        "requested_changes",
        "review_history",
        "material_update_at",
    ]
    inlines = [SectionInline, FigureInline, CorrectionInline, PreviewLinkInline]
    # Corrections and preview links are the editors' (issue 9), not a contributor's.
    editor_only_inlines = (CorrectionInline, PreviewLinkInline)
    actions = ["submit_selected", "publish_selected", "unpublish_selected", "archive_selected"]

    class Media:
        js = ["articles/admin/markdownx_inlines.js", "articles/admin/section_editor.js"]
        css = {"all": ["articles/admin/section_editor.css"]}

    def get_fieldsets(self, request, obj=None):
        publishing_fields = ["status", "published_at", "requested_changes", "comments_open"]
        if publishing.can_publish(request.user):
            publishing_fields += ["review_note", "schedule_at", "lead_story"]
        fieldsets = [
            (None, {"fields": ["title", "slug", "standfirst", "author", "tags"]}),
            (
                "What it is about",
                {
                    "description": "The places and actors this piece is about: it is listed on "
                    "their pages and maps. Tags stay for everything else.",
                    "fields": ["countries", "regions", "actors"],
                },
            ),
            ("Publishing", {"fields": publishing_fields}),
            ("Review history", {"classes": ["collapse"], "fields": ["review_history"]}),
        ]
        if publishing.can_publish(request.user):
            fieldsets.append(("Updates", {"fields": ["material_update", "material_update_at"]}))
        return self.with_revision_fieldset(request, obj, fieldsets)

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if publishing.can_publish(request.user):
            return inlines
        return [inline for inline in inlines if inline not in self.editor_only_inlines]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_queryset(self, request):
        articles = super().get_queryset(request).editable_by(request.user)
        return articles.annotate(sections_total=Count("sections"))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed or publishing.can_publish(request.user):
            return allowed
        return publishing.can_edit(request.user, obj) and obj.status in CONTRIBUTOR_EDITABLE

    def has_publish_permission(self, request):
        return publishing.can_publish(request.user)

    def get_autocomplete_fields(self, request):
        # Contributors choose among their own profiles: a plain select.
        return self.autocomplete_fields if publishing.can_publish(request.user) else PLACE_FIELDS

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author" and not publishing.can_publish(request.user):
            kwargs["queryset"] = Author.objects.filter(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        own = Author.objects.filter(user=request.user).first()
        if own is not None and not publishing.can_publish(request.user):
            initial.setdefault("author", own.pk)
        return initial

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["transitions"] = self.transition_buttons(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def transition_buttons(self, request, obj):
        """``(name, label)`` of the moves this user may make here: only those are shown."""
        if obj is None:  # a new article starts as a draft written as the user's own profile
            obj = Article(status=Article.Status.DRAFT, author=Author(user=request.user))
        return [
            (name, publishing.MOVES[name][0]) for name in publishing.available(obj, request.user)
        ]

    def delete_queryset(self, request, queryset):
        # A bulk delete skips Article.delete(), which discards figure renditions.
        with transaction.atomic():
            discard_renditions(list(Figure.objects.filter(article__in=queryset)))
            super().delete_queryset(request, queryset)

    def save_related(self, request, form, formsets, change):
        self.unplace_figures_from_deleted_sections(formsets)
        super().save_related(request, form, formsets, change)
        self.place_figures_in_new_sections(request, formsets)
        # The search vector reads the sections and tags, saved only now.
        refresh_search_vector(form.instance)
        if form.transition:
            self.make_transition(request, form)

    def make_transition(self, request, form):
        name, article = form.transition, form.instance
        options = {}
        if name == "request_changes":
            options["note"] = form.cleaned_data.get("review_note", "")
        elif name == "schedule":
            options["at"] = form.cleaned_data.get("schedule_at")
        try:
            publishing.FUNCTIONS[name](article, by=request.user, **options)
        except publishing.TransitionError as error:  # the state changed since the form was read
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            f"“{article}” is now {article.get_status_display().lower()}.",
            messages.SUCCESS,
        )

    @admin.display(description="Steps")
    def review_history(self, obj):
        """Every move of the article, newest first (Transition rows)."""
        steps = obj.transitions.select_related("by") if obj and obj.pk else []
        rows = format_html_join(
            "",
            "<li>{} · {} · {} → {}{}</li>",
            (
                (
                    f"{step.at:%Y-%m-%d %H:%M}",
                    step.by or "system",
                    step.get_from_status_display(),
                    step.get_to_status_display(),
                    f": {step.note}" if step.note else "",
                )
                for step in steps
            ),
        )
        return format_html("<ul>{}</ul>", rows) if rows else "–"

    @admin.display(description="Changes requested")
    def requested_changes(self, obj):
        """The latest "request changes" note, for the author to read while revising."""
        if obj is None or obj.pk is None or obj.status != Article.Status.DRAFT:
            return "–"
        latest = (
            obj.transitions.filter(
                from_status=Article.Status.REVIEW, to_status=Article.Status.DRAFT
            )
            .select_related("by")
            .first()
        )
        if latest is None:
            return "–"
        return format_html(
            "{}<br><small>{}, {}</small>",
            latest.note,
            latest.by or "—",
            f"{latest.at:%Y-%m-%d %H:%M}",
        )

    @admin.display(description="Status", ordering="status")
    def state(self, obj):
        """The status, saying whether a scheduled article is live yet."""
        if obj.status == Article.Status.SCHEDULED:
            return "Scheduled (live)" if obj.is_published else "Scheduled"
        return obj.get_status_display()

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

    def _move_selected(self, request, queryset, name, done):
        moved, refused = 0, []
        for article in queryset.select_related("author"):
            try:
                publishing.FUNCTIONS[name](article, by=request.user)
            except publishing.TransitionError as error:
                refused.append(str(error))
            else:
                moved += 1
        self.message_user(request, f"{done} {moved} article(s).", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description="Submit selected articles for review", permissions=["change"])
    def submit_selected(self, request, queryset):
        self._move_selected(request, queryset, "submit", "Submitted for review:")

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._move_selected(request, queryset, "publish", "Published")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._move_selected(request, queryset, "unpublish", "Unpublished")

    @admin.action(description="Archive selected articles", permissions=["publish"])
    def archive_selected(self, request, queryset):
        self._move_selected(request, queryset, "archive", "Archived")


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
        ("Login", {"fields": ["user"]}),
        (
            "Private",
            {
                "classes": ["collapse"],
                "description": "For the newsroom only. Never shown on the public site.",
                "fields": ["email", "phone", "postal_address", "birth_date"],
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        # Contributors may view authors (to see whom they write as), not their private details.
        if request.user.has_perm("articles.change_author"):
            return self.fieldsets
        return self.fieldsets[:1]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":  # OneToOneField: only staff logins write as an author
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_search_vectors(obj.articles.all())  # search finds articles by author name


# taggit's own admin, with renames and deletions shown on public pages at once.
admin.site.unregister(Tag)


class TagForm(forms.ModelForm):
    """A tag's name follows the rules an article's tags follow (``tag_name_problem``), and
    is free in any case: with ``TAGGIT_CASE_INSENSITIVE``, "China" beside "china" made
    articles saved later swap one for the other."""

    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = self.cleaned_data.get("name", "")
        if problem := tag_name_problem(name):
            raise forms.ValidationError(problem)
        if Tag.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("A tag with this name already exists, in another case.")
        return name


@admin.register(Tag)
class PublicTagAdmin(ChecksAgainAfterARace, ChangesPublicPages, TagAdmin):
    form = TagForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_search_vectors(Article.objects.filter(tags=obj))  # search finds tag names
        page_cache.content_changed()

    def merge_tags_view(self, request):
        response = super().merge_tags_view(request)
        if request.method == "POST":
            page_cache.content_changed()
        return response
