"""
The article admin's revisions: one kept at each save, listed on the history
page, compared two at a time, and restored as a new revision.

Only a user who may change the article (``has_change_permission(request,
obj)``) sees its revisions. An id that is not a revision of this article is
404; an article deleted since goes back to the list with a message.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from reversion.errors import RevertError
from reversion.models import Revision

from . import revisions
from .revision_diff import compare

REVISIONS_PER_PAGE = 50


class RevisionNoteForm(forms.ModelForm):
    """Mixin for the article form: the optional note kept with the revision a save makes."""

    revision_note = forms.CharField(
        label="Revision note",
        required=False,
        max_length=500,
        help_text="Optional: what this save changed and why. Shown in the article's history.",
    )


class ArticleRevisionsAdmin:
    """ModelAdmin mixin for ``Article``: record a revision per save; history, compare, restore."""

    revision_fieldset = ("Revision", {"fields": ["revision_note"]})
    compare_template = "admin/articles/article/revision_compare.html"
    restore_template = "admin/articles/article/revision_restore.html"

    def get_fieldsets(self, request, obj=None):
        return self.with_revision_fieldset(request, obj, super().get_fieldsets(request, obj))

    def with_revision_fieldset(self, request, obj, fieldsets):
        """The fieldsets plus the revision note, for a user who can save this article."""
        if obj is not None and not self.has_change_permission(request, obj):
            return fieldsets  # read only: there is no save to note
        return [*fieldsets, self.revision_fieldset]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        note = form.cleaned_data.get("revision_note", "")
        revisions.record(form.instance, user=request.user, message=note)

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name=f"{name}_compare",
            ),
            path(
                "<path:object_id>/history/<int:revision_id>/restore/",
                view(self.restore_view),
                name=f"{name}_restore",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        article = self._article(request, object_id)
        if article is None:
            return self._gone(request, object_id)
        page = self.get_paginator(request, revisions.revisions_of(article), REVISIONS_PER_PAGE)
        context = {
            "revisions": page.get_page(request.GET.get("revisions")),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        """Two revisions side by side: ``?from=<id>&to=<id>``, older first whatever the order.

        Template ``admin/articles/article/revision_compare.html``; context
        ``older`` and ``newer`` (``Revision``), ``diff`` (``RevisionDiff``).
        """
        article = self._article(request, object_id)
        if article is None:
            return self._gone(request, object_id)
        chosen = [request.GET.get("from", ""), request.GET.get("to", "")]
        if not all(chosen):
            messages.warning(request, "Choose two revisions to compare.")
            return redirect(self._url("history", article.pk))
        pair = sorted(
            (self._revision(article, revision_id) for revision_id in chosen),
            key=lambda revision: (revision.date_created, revision.pk),
        )
        try:
            older, newer = revisions.snapshots(article, pair)
        except RevertError as error:
            messages.error(request, str(error))
            return redirect(self._url("history", article.pk))
        context = {
            **self._context(request, article, f"Compare revisions of “{article}”"),
            "older": older.revision,
            "newer": newer.revision,
            "diff": compare(older, newer),
        }
        return TemplateResponse(request, self.compare_template, context)

    def restore_view(self, request, object_id, revision_id):
        """GET: what restoring would change (template ``revision_restore.html``, context
        ``revision``, ``latest`` and ``diff``); POST: restore it and go back to the article.
        """
        article = self._article(request, object_id)
        if article is None:
            return self._gone(request, object_id)
        revision = self._revision(article, revision_id)
        if request.method == "POST":
            try:
                missing = revisions.left_out(article, revision)
                revisions.restore(article, revision, user=request.user)
            except RevertError as error:
                messages.error(request, str(error))
                return redirect(self._url("history", article.pk))
            article.refresh_from_db(fields=["title"])  # named as it is now, restored
            messages.success(request, f"Restored “{article}” as it was at {_when(revision)}.")
            if missing:
                messages.warning(request, _left_out_message(missing))
            return redirect(self._url("change", article.pk))
        latest = revisions.latest(article)
        try:
            old, current = revisions.snapshots(article, [revision, latest])
        except RevertError as error:
            messages.error(request, str(error))
            return redirect(self._url("history", article.pk))
        context = {
            **self._context(
                request, article, f"Restore “{article}” as it was at {_when(revision)}"
            ),
            "revision": revision,
            "latest": latest,
            "diff": compare(current, old),
        }
        return TemplateResponse(request, self.restore_template, context)

    def _article(self, request, object_id):
        """The article, or None when it no longer exists; 403 unless the user may change it."""
        article = self.get_object(request, unquote(object_id))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def _revision(self, article, revision_id):
        try:
            return revisions.revision_of(article, int(revision_id))
        except (ValueError, OverflowError, Revision.DoesNotExist):
            raise Http404("No such revision of this article.") from None

    def _gone(self, request, object_id):
        messages.warning(
            request,
            f"There is no article with ID “{object_id}”: perhaps it was deleted. "
            "Its revisions cannot be shown or restored.",
        )
        return redirect(self._url("changelist"))

    def _url(self, view, *args):
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}", args=args
        )

    def _context(self, request, article, title):
        request.current_app = self.admin_site.name
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.model._meta,
            "object": article,
        }


def _when(revision):
    # "j F Y, H:i": the locale's format may end in "a.m.", and messages end with a full stop.
    return formats.date_format(timezone.localtime(revision.date_created), "j F Y, H:i")


# How a missing thing is counted in the restore warning: (one, many).
_MISSING_NAMES = {
    "author": ("its author", "its author"),
    "countries": ("a country", "{n} countries"),
    "regions": ("a region", "{n} regions"),
    "actors": ("an actor", "{n} actors"),
}


def _left_out_message(missing):
    """For example "This revision named its author and 2 actors deleted since, so they
    were left out. The article keeps its current author." """
    parts = [
        (one if n == 1 else many).format(n=n)
        for name, n in missing.items()
        for one, many in [_MISSING_NAMES[name]]
    ]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    keeps = " The article keeps its current author." if "author" in missing else ""
    return f"This revision named {listed} deleted since, so they were left out.{keeps}"
