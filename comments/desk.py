"""
The moderation desk: a moderator's queue of comment cards, one click per decision.

Served inside the admin (``CommentAdmin.get_urls``) so that it has the admin's
login, menu and "(N pending)" count. Every decision goes through
``moderation.py``; this module only picks the comments, validates the posted
form and says what happened. Works without JavaScript; ``comments/desk.js``
adds the keyboard shortcuts documented on the page.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.http import HttpResponseNotAllowed, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator

from articles.models import Article, Section

from . import commenters, moderation, strict_desk
from .models import DESK_TABS, Comment, Commenter, CommentReport

PER_PAGE = 20
MODERATE = "comments.change_comment"
DELETE_OUTRIGHT = "comments.delete_comment_outright"
FILTERS = ["tab", "article", "section", "commenter", "reason", "q", "page"]
ACTIONS = {
    "approve": "approved",
    "reject": "rejected",
    "spam": "marked as spam",
    "feature": "featured",
    "unfeature": "unfeatured",
    "delete": "deleted outright",
}
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
        article = _as_id(data.get("article"))
        if article:
            self.fields["section"].queryset = Section.objects.filter(article_id=article)
            self.fields["section"].empty_label = "Any section"
        else:
            chosen = _as_id(data.get("section")) or 0
            self.fields["section"].queryset = Section.objects.filter(pk=chosen)

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
    selected = forms.TypedMultipleChoiceField(coerce=int, choices=())
    back = forms.CharField(required=False, max_length=2000)

    def __init__(self, data):
        super().__init__(data)
        ids = [pk for value in data.getlist("selected") if (pk := _as_id(value))]
        self.fields["selected"].choices = [
            (pk, pk) for pk in Comment.objects.filter(pk__in=ids).values_list("pk", flat=True)
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not cleaned.get("reason"):
            self.add_error("reason", "Choose why the comments are rejected.")
        return cleaned


def queue(request, model_admin):
    """The queue: ``comments/desk/queue.html`` with ``tabs`` (tab, label, count), ``cards``
    (comments with ``history`` and ``report_summary``), ``page_obj``, ``filters``."""
    _require(request, MODERATE)
    filters = QueueFilterForm(request.GET)
    if not filters.is_valid():
        filters = QueueFilterForm(QueryDict())
        filters.is_valid()
        messages.warning(request, "Some filters were not understood and were left out.")
    tab = filters.cleaned_data.get("tab") or "pending"
    counts = Comment.objects.tab_counts()
    comments = filters.filter(Comment.objects.in_tab(tab)).select_related(
        "article", "section", "parent"
    )
    page_obj = Paginator(comments, PER_PAGE).get_page(request.GET.get("page"))
    cards = list(page_obj.object_list)
    _add_history(cards)
    _add_report_summaries(cards)
    _add_standings(cards)
    # Where to land after deciding on a card: the next one, or the previous for the last.
    for index, card in enumerate(cards):
        neighbour = cards[index + 1] if index + 1 < len(cards) else cards[index - 1]
        card.after = neighbour.pk if neighbour is not card else None
    back = _query(request.GET)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Moderation desk",
        "opts": Comment._meta,
        "tab": tab,
        "tabs": [
            (key, label, counts[key], _query(request.GET, tab=key)) for key, label in DESK_TABS
        ],
        "waiting": counts["waiting"],
        "filters": filters,
        "cards": cards,
        "page_obj": page_obj,
        "back": back,
        "pager": _query(request.GET, page=None),
        "reasons": Comment.RemovalReason.choices,
        "bulk_actions": BULK_ACTIONS,
        "can_delete": request.user.has_perm(DELETE_OUTRIGHT),
        "standings": Commenter.Standing.choices,
        **strict_desk.context(filters),
    }
    return TemplateResponse(request, "comments/desk/queue.html", context)


def strict_mode(request, model_admin, article_id, switch):
    """The strict-mode switch (``strict_desk.toggle``), for moderators only."""
    _require(request, MODERATE)
    if switch not in ("on", "off"):
        return _refuse(request, model_admin, f"“{switch}” is not a strict-mode switch.", 404)
    return strict_desk.toggle(request, article_id, switch, _back(request.POST))


def decide(request, model_admin, pk, action):
    """One decision on one comment from a card; back to the queue at the next card.

    Bad input answers 400 (``comments/desk/refused.html``) and changes nothing.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(
            ["POST"],
            content=b"Decisions are sent with the desk's buttons (POST), not by opening a link.",
        )
    _require(request, DELETE_OUTRIGHT if action == "delete" else MODERATE)
    if action not in ACTIONS:
        return _refuse(request, model_admin, f"“{action}” is not a decision the desk knows.", 404)
    comment = get_object_or_404(Comment, pk=pk)
    form = DecisionForm(request.POST, action=action)
    if not form.is_valid():
        problems = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()
        )
        return _refuse(request, model_admin, f"Nothing was changed. {problems}", 400)
    if comment.deleted_at:
        return _refuse(request, model_admin, "This comment was deleted outright.", 400)
    data = form.cleaned_data
    try:
        change = _apply(comment, action, request.user, data)
    except moderation.StaleDecision as stale:
        now = stale.comment
        who = f" by {now.moderated_by}" if now.moderated_by else ""
        messages.warning(
            request,
            f"Another decision came first: the comment by {now.name} is now "
            f"{now.get_status_display().lower()}{who}. Nothing was changed.",
        )
        return _back(data, anchor=pk)
    except moderation.NotApproved as refused:
        messages.error(request, str(refused))
        return _back(data, anchor=pk)
    excerpt = Truncator(comment.body or comment.name).chars(60)
    if change is None:
        messages.info(request, f"Already {ACTIONS[action]}: “{excerpt}”. Nothing changed.")
    else:
        log_decisions(request.user, [change])
        messages.success(request, f"{ACTIONS[action].capitalize()}: “{excerpt}”.")
    return _back(data, anchor=data.get("after"))


def bulk(request, model_admin):
    """The ticked cards, one decision for all; each change is on the record and in the admin log."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"], content=b"Bulk decisions are sent by POST.")
    _require(request, MODERATE)
    form = BulkForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()
        )
        return _refuse(request, model_admin, f"Nothing was changed. {problems}", 400)
    data = form.cleaned_data
    comments = Comment.objects.filter(pk__in=data["selected"], deleted_at__isnull=True)
    user = request.user
    if data["action"] == "approve":
        changes = moderation.approve_all(comments, moderator=user)
    elif data["action"] == "reject":
        changes = moderation.reject_all(comments, reason=data["reason"], moderator=user)
    else:
        changes = moderation.mark_spam_all(comments, moderator=user)
    log_decisions(user, changes)
    unchanged = len(data["selected"]) - len(changes)
    text = f"{len(changes)} comment{'s' if len(changes) != 1 else ''} {ACTIONS[data['action']]}."
    if unchanged:
        text += f" {unchanged} unchanged (already so)."
    messages.success(request, text)
    return _back(data)


def log_decisions(user, changes):
    """One admin log entry ("Change" in the object's history) per changed comment."""
    for change in changes:
        decision = change.decision
        message = f"Moderation: {decision.get_action_display()}" if decision else "Moderation"
        if decision and decision.reason:
            message += f" ({decision.get_reason_display()})"
        if change.old_status != change.new_status:
            message += f", {change.old_status} → {change.new_status}"
        LogEntry.objects.log_actions(
            user.pk, [change.comment], CHANGE, change_message=message, single_object=True
        )


def _apply(comment, action, user, data):
    options = {"moderator": user, "note": data.get("note", "")}
    expected = data.get("seen") or None
    if action == "approve":
        return moderation.approve(comment, expected_status=expected, **options)
    if action == "reject":
        return moderation.reject(
            comment, reason=data["reason"], expected_status=expected, **options
        )
    if action == "spam":
        return moderation.mark_spam(comment, expected_status=expected, **options)
    if action == "feature":
        return moderation.feature(comment, expected_status=expected, **options)
    if action == "unfeature":
        return moderation.unfeature(comment, expected_status=expected, **options)
    return moderation.delete_outright(comment, reason=data["reason"], **options)


def _add_history(cards):
    """``card.history``: approved / rejected / spam counts for the card's e-mail address,
    for the whole page in one query."""
    emails = {card.email.lower() for card in cards if card.email}
    rows = (
        Comment.objects.annotate(address=Lower("email"))
        .filter(address__in=emails)
        .order_by()
        .values("address", "status")
        .annotate(n=Count("pk"))
    )
    counts = {(row["address"], row["status"]): row["n"] for row in rows} if emails else {}
    for card in cards:
        address = card.email.lower()
        card.history = {
            status: counts.get((address, status), 0) if address else None
            for status in ("approved", "rejected", "spam")
        }


def set_standing(request, model_admin, pk):
    """A moderator sets the standing of a card's e-mail address (POST ``standing``)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"], content=b"Standing is set with the card's form.")
    _require(request, "comments.change_commenter")
    comment = get_object_or_404(Comment, pk=pk)
    standing = request.POST.get("standing", "")
    if standing not in Commenter.Standing.values:
        return _refuse(request, model_admin, "Nothing was changed: choose a standing.", 400)
    if not comment.email:
        return _refuse(request, model_admin, "Nothing was changed: no e-mail address.", 400)
    commenter = commenters.set_standing(comment.email, standing)
    messages.success(
        request, f"{comment.name}'s address is now {commenter.get_standing_display()}."
    )
    return _back(request.POST, anchor=pk)


def _add_standings(cards):
    """``card.standing`` (a ``Commenter`` or None) for the page's addresses, in one query."""
    emails = {card.email.lower() for card in cards if card.email}
    known = {c.email: c for c in Commenter.objects.filter(email__in=emails)} if emails else {}
    for card in cards:
        card.standing = known.get(card.email.lower())


def _add_report_summaries(cards):
    """``card.report_summary``: [(reason label, count)] for the page in one query."""
    labels = dict(CommentReport.Reason.choices)
    summary = {}
    if cards:
        rows = (
            CommentReport.objects.filter(comment__in=cards)
            .order_by()
            .values("comment", "reason")
            .annotate(n=Count("pk"))
            .order_by("comment", "-n", "reason")
        )
        for row in rows:
            label = labels.get(row["reason"], "no reason given")
            summary.setdefault(row["comment"], []).append((label, row["n"]))
    for card in cards:
        card.report_summary = summary.get(card.pk, [])


def _query(params, **changes):
    """The queue's own parameters from ``params`` with ``changes``, as a query string."""
    query = QueryDict(mutable=True)
    for key in FILTERS:
        value = changes.get(key, params.get(key))
        if value:
            query[key] = value
    if "tab" in changes:
        query.pop("page", None)
    return query.urlencode()


def _back(data, anchor=None):
    """Redirect to the queue as the moderator left it (tab, filters, page), at ``anchor``."""
    query = _query(QueryDict(data.get("back", "")))
    url = reverse("admin:comments_comment_desk")
    if query:
        url += f"?{query}"
    if anchor:
        url += f"#card-{anchor}"
    return redirect(url)


def _as_id(value):
    """A primary key from a query or form value, or ``None``: never an error."""
    value = str(value or "")
    if value.isascii() and value.isdecimal() and 0 < int(value) < 2**63:
        return int(value)
    return None


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _refuse(request, model_admin, message, status):
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Decision refused",
        "message": message,
    }
    return TemplateResponse(request, "comments/desk/refused.html", context, status=status)
