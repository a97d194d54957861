"""
The moderation desk: a moderator's queue of comment cards, one click per decision.

Served inside the admin (``CommentAdmin.get_urls``) so that it has the admin's
login, menu and "(N pending)" count. Every decision goes through
``moderation.py``; this module only picks the comments, validates the posted
form and says what happened (its forms are in ``desk/forms.py``, what a card
shows beside the comment in ``desk/cards.py``). Works without JavaScript;
``comments/desk.js`` adds the keyboard shortcuts documented on the page.
"""

from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator

from .. import commenters, moderation, strict_desk
from ..models import DESK_TABS, Comment, Commenter
from .cards import add_history, add_report_summaries, add_standings
from .forms import BULK_ACTIONS, BulkForm, DecisionForm, QueueFilterForm, as_id

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


def queue(request, model_admin):
    """The queue: ``comments/desk/queue.html`` with ``tabs`` (tab, label, count), ``cards``
    (comments with ``history`` and ``report_summary``), ``page_obj``, ``filters``."""
    _require(request, MODERATE)
    filters = QueueFilterForm(request.GET)
    tab = "pending"
    if filters.is_valid():
        tab = filters.cleaned_data.get("tab") or tab
        comments = filters.filter(Comment.objects.in_tab(tab))
    else:
        # Never the whole queue for a filter we could not apply: a bulk decision
        # would then reach comments the moderator did not mean.
        tab = filters.cleaned_data.get("tab") or tab
        comments = Comment.objects.none()
        messages.error(request, f"No comments are shown: {filters.problems()}")
    counts = Comment.objects.tab_counts()
    comments = comments.select_related("article", "section", "parent")
    page_obj = Paginator(comments, PER_PAGE).get_page(request.GET.get("page"))
    cards = list(page_obj.object_list)
    add_history(cards)
    add_report_summaries(cards)
    add_standings(cards)
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
    if request.method != "POST" and action != "delete":
        return HttpResponseNotAllowed(
            ["POST"],
            content=b"Decisions are sent with the desk's buttons (POST), not by opening a link.",
        )
    _require(request, DELETE_OUTRIGHT if action == "delete" else MODERATE)
    if action not in ACTIONS:
        return _refuse(request, model_admin, f"“{action}” is not a decision the desk knows.", 404)
    comment = get_object_or_404(Comment, pk=pk)
    if action == "delete" and not comment.deleted_at and request.POST.get("confirm") != "yes":
        return _confirm_delete(request, model_admin, comment)
    reports_cleared = action == "approve" and comment.report_count > 0
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
        done = ACTIONS[action].capitalize()
        if reports_cleared:
            kept = change.old_status == Comment.Status.APPROVED
            done = "Kept (reports cleared)" if kept else "Restored (reports cleared)"
        messages.success(request, f"{done}: “{excerpt}”.")
    return _back(data, anchor=data.get("after"))


def _confirm_delete(request, model_admin, comment):
    """Deleting outright cannot be undone: a page that asks first (GET, or a POST
    without ``confirm=yes``), ``comments/desk/confirm_delete.html``."""
    source = request.POST if request.method == "POST" else request.GET
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Delete this comment outright?",
        "opts": Comment._meta,
        "comment": comment,
        "back": source.get("back", ""),
        "after": as_id(source.get("after")),
        "desk_url": _back(source).url,
    }
    return TemplateResponse(request, "comments/desk/confirm_delete.html", context)


def bulk(request, model_admin):
    """The ticked cards, one decision for all; each change is on the record and in the admin log."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"], content=b"Bulk decisions are sent by POST.")
    _require(request, MODERATE)
    form = BulkForm(request.POST)
    if not form.is_valid():
        # Said on the desk itself, where the ticks and the reason are chosen again.
        problems = " ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, f"Nothing was changed. {problems}")
        return _back(request.POST)
    data = form.cleaned_data
    ticked = Comment.objects.filter(pk__in=data["selected"])
    comments = ticked.filter(deleted_at__isnull=True)
    deleted = ticked.filter(deleted_at__isnull=False).count()
    user = request.user
    # Each card sends back the status it showed: one another moderator decided since the
    # desk was loaded is left as they decided.
    seen = moderation.seen_statuses(request.POST)
    if data["action"] == "approve":
        changes = moderation.approve_all(comments, moderator=user, seen=seen)
    elif data["action"] == "reject":
        changes = moderation.reject_all(comments, reason=data["reason"], moderator=user, seen=seen)
    else:
        changes = moderation.mark_spam_all(comments, moderator=user, seen=seen)
    log_decisions(user, changes)
    stale = len(changes.stale)
    unchanged = len(data["selected"]) - len(changes) - stale - deleted
    text = f"{len(changes)} comment{'s' if len(changes) != 1 else ''} {ACTIONS[data['action']]}."
    if unchanged:
        text += f" {unchanged} unchanged (already so)."
    if deleted:
        text += f" {deleted} deleted outright, left as {'it is' if deleted == 1 else 'they are'}."
    if stale:
        text += " " + moderation.Decisions.said_of_stale(stale)
        messages.warning(request, text)
    else:
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
