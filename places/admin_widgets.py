"""
Search-as-you-type choices that survive a malformed value.

Django's autocomplete widgets look the submitted values up again to redraw a
form with errors; a value that is not a key (``regions=abc``) made that query
raise, a 500 instead of the form's "Select a valid choice". These widgets drop
such values before the lookup, and the form field still reports them.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class DropsMalformedValues:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [item for item in value if self._is_key(item)], attr)

    def _is_key(self, item):
        options = self.field.remote_field.model._meta
        key = options.get_field(getattr(self.field.remote_field, "field_name", options.pk.attname))
        try:
            key.to_python(item)
        except ValidationError:
            return False
        return True


class SafeAutocompleteSelect(DropsMalformedValues, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(DropsMalformedValues, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteAdmin:
    """A ModelAdmin mixin: its ``autocomplete_fields`` use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
