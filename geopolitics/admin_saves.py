"""Admin saves that lose a race to another editor's are answered on the form, not with a 500."""

from django.db import IntegrityError


class ChecksAgainAfterARace:
    """A save that loses a race for a name or an address is answered on the form, not with a 500.

    The form checks that a name (in any case) and a slug are free, or that a
    region does not end up inside itself, then saves; another editor can save
    in between. The database's constraint (or a check made again under a lock,
    ``SaveRaced``) then refuses this save, and the admin's transaction undoes
    all of it. The form, run once more on the same input, now sees the other
    editor's save and says so ("A region with this name already exists."),
    with what was typed.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (IntegrityError, SaveRaced):
            if request.method != "POST":
                raise
            return super().changeform_view(request, object_id, form_url, extra_context)


class SaveRaced(Exception):
    """A check made again under a lock found that another editor's save, made since the
    form's own check, makes this one wrong (``ChecksAgainAfterARace`` shows the form again)."""
