"""
The article admin's corrections and preview links (issue 9).

Both inlines ask the article admin, not permissions of their own: whoever may
change the article may add a note or share a preview link, and nobody else.
Saving goes through the article form, whose save renders public pages afresh
(``ChangesPublicPages``); a preview link changes no public page.
"""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from . import previews
from .corrections import Correction
from .previews import PreviewLink


class AsTheArticle:
    """Inline permissions: those the article admin grants on the article being edited."""

    def _article_admin(self):
        return self.admin_site.get_model_admin(self.parent_model)

    def has_view_permission(self, request, obj=None):
        return self._article_admin().has_view_or_change_permission(request, obj)

    def has_add_permission(self, request, obj):
        return self._article_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._article_admin().has_change_permission(request, obj)


class CorrectionInline(AsTheArticle, admin.StackedInline):
    model = Correction
    extra = 0
    fields = [("kind", "published_at"), "text"]
    verbose_name = "correction or update note"
    verbose_name_plural = "Corrections and updates (shown at the end of the article)"

    def has_delete_permission(self, request, obj=None):
        return self._article_admin().has_change_permission(request, obj)


class PreviewLinkForm(forms.ModelForm):
    # Read-only rather than disabled, so the address can be selected and copied;
    # whatever is posted back is ignored (it is no model field).
    address = forms.CharField(
        label="Link to share",
        required=False,
        widget=forms.TextInput(attrs={"size": 70, "readonly": True}),
        help_text="Appears once saved. Anyone with it can read the draft until it expires.",
    )
    revoke = forms.BooleanField(
        required=False, label="Revoke", help_text="The link stops working at once."
    )
    # Set per request by PreviewLinkInline.get_formset: "https://host".
    site_root = ""

    class Meta:
        model = PreviewLink
        fields = ["expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        link = self.instance
        if link.pk:
            self.fields["address"].initial = self.site_root + link.get_absolute_url()
            if link.revoked_at is not None:
                self.fields["expires_at"].disabled = True
                self.fields["revoke"].disabled = True

    def has_changed(self):
        # A row the editor added is a link to create, even with the default expiry.
        return self.instance.pk is None or super().has_changed()

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        is_set_now = "expires_at" in self.changed_data or self.instance.pk is None
        if is_set_now and expires_at <= timezone.now():
            raise forms.ValidationError("Choose a moment in the future.")
        return expires_at


class PreviewLinkInline(AsTheArticle, admin.TabularInline):
    model = PreviewLink
    form = PreviewLinkForm
    extra = 0
    can_delete = False
    fields = ["address", "expires_at", "state", "created_by", "created_at", "revoke"]
    readonly_fields = ["state", "created_by", "created_at"]
    verbose_name = "preview link"
    verbose_name_plural = "Preview links (let someone without an account read this draft)"

    def get_formset(self, request, obj=None, **kwargs):
        site_root = request.build_absolute_uri("/").rstrip("/")
        kwargs["form"] = type("PreviewLinkForm", (self.form,), {"site_root": site_root})
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description="State")
    def state(self, link):
        if link.pk is None:
            return "New"
        if link.revoked_at is not None:
            return f"Revoked {timezone.localtime(link.revoked_at):%d %b %Y %H:%M}"
        if link.is_expired:
            return "Expired"
        return "Active"


class CorrectionsAndPreviews:
    """ArticleAdmin mixin: stamps a material update; notes and links record who made them."""

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("material_update"):
            obj.material_update_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model not in (Correction, PreviewLink):
            return super().save_formset(request, form, formset, change)
        for instance in formset.save(commit=False):
            if instance.pk is None:
                instance.created_by = request.user
                instance.save()
                if isinstance(instance, PreviewLink):
                    self.message_user(
                        request,
                        f"Preview link created, valid until "
                        f"{timezone.localtime(instance.expires_at):%d %B %Y %H:%M}: "
                        f"{request.build_absolute_uri(instance.get_absolute_url())}",
                        messages.SUCCESS,
                    )
            else:
                instance.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        if formset.model is PreviewLink:
            for link_form in formset.forms:
                if link_form.instance.pk and link_form.cleaned_data.get("revoke"):
                    previews.revoke(link_form.instance)
        return None
