"""
Forms of the article editor's inlines (issue 9).

A figure may be placed in a section that the same form creates. Each section
row carries a ``key`` (a random token its script writes); the figure's
"Section" select offers the stored sections by id and, once the script has
listed them, the new ones as ``new:<key>``. ``ArticleAdmin.save_related``
resolves those after the sections are saved. With scripts off the select
offers the stored sections, so a figure can be placed after the first save.
"""

import re

from adminsortable2.admin import CustomInlineFormSet
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html

SECTION_KEY = re.compile(r"^[A-Za-z0-9-]{1,40}$")
NEW_SECTION = "new:"
AFTER_LAST_SECTION = "After the last section"


class SectionForm(forms.ModelForm):
    key = forms.CharField(
        required=False,
        max_length=40,
        widget=forms.HiddenInput(attrs={"class": "section-key"}),
    )

    def clean_key(self):
        key = self.cleaned_data["key"]
        if key and not SECTION_KEY.match(key):
            return ""
        return key


class SectionSelect(forms.Select):
    """A select that remembers its value in ``data-value``: the script that lists
    the new sections selects it again once the option exists."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-value"] = "" if value is None else str(value)
        return context


class FigureImageInput(forms.ClearableFileInput):
    """The file input after a thumbnail of the stored image (not its long file
    name), so that a figure row fits a 1,440 px screen."""

    def render(self, name, value, attrs=None, renderer=None):
        if not self.is_initial(value):
            return super().render(name, value, attrs, renderer)
        file_input = forms.FileInput(self.attrs).render(name, None, attrs, renderer)
        return format_html(
            '<a class="figure-thumbnail" href="{url}" title="{file}">'
            '<img src="{url}" alt="Current image" height="64"></a> {input}',
            url=value.url,
            file=str(value),
            input=file_input,
        )


class FigureForm(forms.ModelForm):
    section = forms.CharField(
        required=False,
        label="Section",
        widget=SectionSelect,
        help_text="The section this figure follows.",
    )
    # {str(pk): Section} of the article being edited; set per request by FigureInline.
    saved_sections = {}

    class Meta:
        widgets = {
            "alt_text": forms.TextInput(attrs={"size": 28}),
            "caption": forms.Textarea(attrs={"rows": 2, "cols": 28}),
            "credit": forms.TextInput(attrs={"size": 16}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_key = ""
        if self.instance.section_id:
            self.initial["section"] = str(self.instance.section_id)
        self.fields["section"].widget.choices = [("", AFTER_LAST_SECTION)] + [
            (pk, section.heading) for pk, section in self.saved_sections.items()
        ]

    def clean_section(self):
        value = self.cleaned_data["section"]
        if not value:
            return None
        if value in self.saved_sections:
            return self.saved_sections[value]
        key = value.removeprefix(NEW_SECTION)
        if value.startswith(NEW_SECTION) and SECTION_KEY.match(key):
            self.section_key = key  # placed once the new section is saved
            return None
        raise ValidationError("Choose one of this article's sections.")


class FigureFormSet(CustomInlineFormSet):
    """Figure rows in a table: each field is named for screen readers by its
    column (Django's tabular inline gives the cells no label)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                label = "Delete" if name == "DELETE" else (field.label or name)
                field.widget.attrs.setdefault("aria-label", str(label))
