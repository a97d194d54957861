"""The desk's forms: the queue's filters, one decision, a bulk decision."""

from django import forms
from django.db.models import Q

from articles.models import Article, Section

from ..models import DESK_TABS, Comment, CommentReport

BULK_ACTIONS = [("approve", "Approve"), ("reject", "Reject"), ("spam", "Mark as spam")]
REASON_FILTERS = [
    ("Held because", [(f"held:{v}", label) for v, label in Comment.HoldReason.choices]),
    ("Reported as", [(f"report:{v}", label) for v, label in CommentReport.Reason.choices]),
    ("Removed as", [(f"removed:{v}", label) for v, label in Comment.RemovalReason.choices]),
]


class QueueFilterForm(forms.Form):
    tab = forms.ChoiceField(choices=DESK_TABS, required=False)
    article = forms.ModelChoiceField(
        queryset=Article.objects.filter(comments__isnull=False).distinct().order_by("title"),
        required=False,
        empty_label="Any article",
    )
    section = forms.ModelChoiceField(queryset=Section.objects.none(), required=False)
    commenter = forms.CharField(
        required=False, max_length=254, help_text="Name (any part) or e-mail address."
    )
    reason = forms.ChoiceField(choices=[("", "Any reason"), *REASON_FILTERS], required=False)
    q = forms.CharField(label="Text", required=False, max_length=200)

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Sections are offered for the chosen article only (a select of every section
        # would be huge); a section id alone (a card's link) is still understood.
        article = as_id(data.get("article"))
        if article:
            self.fields["section"].queryset = Section.objects.filter(article_id=article)
            self.fields["section"].empty_label = "Any section"
        else:
            chosen = as_id(data.get("section")) or 0
            self.fields["section"].queryset = Section.objects.filter(pk=chosen)

    def problems(self):
        """What was wrong with the filters, in one line for the desk's message."""
        return " ".join(
            f"{self.fields[name].label or name.capitalize()}: {' '.join(errors)}"
            for name, errors in self.errors.items()
        )

    def filter(self, comments):
        data = self.cleaned_data
        if data.get("article"):
            comments = comments.filter(article=data["article"])
        if data.get("section"):
            comments = comments.filter(section=data["section"])
        if commenter := data.get("commenter", "").strip():
            comments = comments.filter(Q(email__iexact=commenter) | Q(name__icontains=commenter))
        if reason := data.get("reason"):
            kind, _, code = reason.partition(":")
            if kind == "held":
                comments = comments.filter(held_reasons__icontains=f'"{code}"')
            elif kind == "report":
                comments = comments.filter(reports__reason=code).distinct()
            else:
                comments = comments.filter(removal_reason=code)
        if text := data.get("q", "").strip():
            comments = comments.filter(body__icontains=text)
        return comments


class DecisionForm(forms.Form):
    reason = forms.ChoiceField(choices=Comment.RemovalReason.choices, required=False)
    note = forms.CharField(required=False, max_length=2000)
    seen = forms.ChoiceField(choices=Comment.Status.choices, required=False)
    after = forms.IntegerField(required=False, min_value=1)
    back = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self):
        cleaned = super().clean()
        if self.action in ("reject", "delete") and not cleaned.get("reason"):
            self.add_error("reason", "Choose why the comment is removed.")
        return cleaned


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=BULK_ACTIONS)
    reason = forms.ChoiceField(choices=Comment.RemovalReason.choices, required=False)
    selected = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=(),
        error_messages={
            "required": "Select at least one comment.",
            "invalid_choice": "A ticked comment no longer exists; tick again.",
        },
    )
    back = forms.CharField(required=False, max_length=2000)

    def __init__(self, data):
        super().__init__(data)
        ids = [pk for value in data.getlist("selected") if (pk := as_id(value))]
        self.fields["selected"].choices = [
            (pk, pk) for pk in Comment.objects.filter(pk__in=ids).values_list("pk", flat=True)
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not cleaned.get("reason"):
            self.add_error("reason", "Choose why the comments are rejected.")
        return cleaned


def as_id(value):
    """A primary key from a query or form value, or ``None``: never an error."""
    value = str(value or "")
    if value.isascii() and value.isdecimal() and 0 < int(value) < 2**63:
        return int(value)
    return None
