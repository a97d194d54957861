"""The desk for regions, countries and actors: every change shows on public pages at once."""

from django.contrib import admin
from django.db.models import Count

from geopolitics.admin_saves import ChecksAgainAfterARace, SaveRaced

from .admin_widgets import SafeAutocompleteAdmin
from .models import Actor, Country, Region


def _content_changed():
    # At call time: this vocabulary app does not import articles when it loads.
    from articles import page_cache

    page_cache.content_changed()


class ChangesPublicPages:
    """Saves and deletes render public pages afresh (articles/page_cache.py)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        _content_changed()


class CountryInline(admin.TabularInline):
    model = Country
    fields = ["code", "name"]
    readonly_fields = ["code", "name"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj):
        return False


@admin.register(Region)
class RegionAdmin(ChecksAgainAfterARace, ChangesPublicPages, admin.ModelAdmin):
    list_display = ["name", "parent", "order", "country_count"]
    ordering = ["order", "name"]
    list_editable = ["order"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "parent", "order", "description"]
    inlines = [CountryInline]

    def save_model(self, request, obj, form, change):
        """One region moves at a time: two editors moving Europe into Eurasia and Eurasia
        into Europe at the same moment each passed the form's check, and together made a
        loop. Under the lock, the second sees the first's move and gets the form back."""
        list(Region.objects.select_for_update().values_list("pk"))  # in the admin's transaction
        if obj.sits_inside_itself():
            raise SaveRaced
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            .annotate(countries_total=Count("countries"))
        )

    @admin.display(description="Countries", ordering="countries_total")
    def country_count(self, obj):
        return obj.countries_total


@admin.register(Country)
class CountryAdmin(ChecksAgainAfterARace, ChangesPublicPages, admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "code", "slug"]
    fields = ["code", "name", "slug", "region"]

    def get_readonly_fields(self, request, obj=None):
        # The code is the page's address and the importer's key: fixed once created.
        return ["code"] if obj is not None else []


@admin.register(Actor)
class ActorAdmin(
    ChecksAgainAfterARace, SafeAutocompleteAdmin, ChangesPublicPages, admin.ModelAdmin
):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    fields = ["name", "slug", "kind", "country", "description"]
