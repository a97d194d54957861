"""The moderation desk: the pending queue first, decisions through ``moderation.py``."""

from django import forms
from django.contrib import admin, messages
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from articles.admin import ChangesPublicPages

from . import commenters, desk, moderation
from .models import Comment, Commenter, CommentReport
from .templatetags.moderation_tags import seen_input


class StatusFilter(admin.SimpleListFilter):
    """Status, defaulting to the pending queue; "All" is a choice of its own."""

    title = "status"
    parameter_name = "status"
    default = Comment.Status.PENDING
    everything = "all"
    reported = "reported"

    def lookups(self, request, model_admin):
        return [
            *Comment.Status.choices,
            (self.reported, "Reported (still public)"),
            (self.everything, "All"),
        ]

    def choices(self, changelist):
        chosen = self.value() or self.default
        for value, label in self.lookup_choices:
            yield {
                "selected": chosen == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        chosen = self.value() or self.default
        if chosen == self.everything:
            return queryset
        if chosen == self.reported:
            return queryset.reported()
        return queryset.filter(status=chosen)


DECISIONS = [
    ("", "Leave as it is"),
    ("approve", "Approve"),
    ("reject", "Reject"),
    ("spam", "Mark as spam"),
    ("feature", "Feature (editors' pick; approved comments only)"),
    ("unfeature", "Stop featuring"),
]


class ModerationForm(forms.ModelForm):
    decision = forms.ChoiceField(choices=DECISIONS, required=False)
    reason = forms.ChoiceField(
        label="Reason for rejecting",
        choices=[("", "—"), *Comment.RemovalReason.choices],
        required=False,
        help_text="Readers see only a count per reason, never the comment.",
    )

    # The status the page showed: a decision on a comment another moderator decided since
    # is refused, not made over theirs.
    seen = forms.ChoiceField(
        choices=Comment.Status.choices, required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Comment
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen"].initial = self.instance.status

    def seen_status(self):
        return self.cleaned_data.get("seen") or None

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen")
        if cleaned.get("decision") and seen and seen != self.instance.status:
            # The page shown again says what is true now: deciding from it is deciding on that.
            self.data = self.data.copy()
            self.data[self.add_prefix("seen")] = self.instance.status
            raise forms.ValidationError(said_of_stale_page(self.instance))
        if cleaned.get("decision") == "reject" and not cleaned.get("reason"):
            self.add_error("reason", "Choose why the comment is rejected.")
        if cleaned.get("decision") == "feature" and not self.instance.is_public:
            self.add_error(
                "decision", "Only an approved comment can be featured: approve it first."
            )
        return cleaned


def said_of_stale_page(comment):
    """What a moderator deciding from a page older than another moderator's decision is told."""
    return (
        "Another moderator decided this comment after this page was shown: it is now "
        f"{comment.get_status_display().lower()}. Nothing was changed; look at it again "
        "before deciding."
    )


def said_of_unseen(count):
    """What a moderator who chose "Select all" is told of the comments the page did not show."""
    subject = "1 comment" if count == 1 else f"{count} comments"
    subject += " the page did not show " + ("was" if count == 1 else "were")
    return f"{subject} left undecided: read them before deciding."


GONE_FROM_LIST = (
    "None of the selected comments is in this list any more (another moderator may have "
    "decided them meanwhile), so nothing was changed. Look for them under “All”."
)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label="Reason", choices=Comment.RemovalReason.choices, widget=forms.RadioSelect
    )


COMMENT_FIELDS = ["article_link", "section", "parent", "name", "email", "body", "notify"]
RECORD_FIELDS = [
    "status",
    "featured",
    "decision_history",
    "created_at",
    "held_because",
    "address_history",
    "report_count",
    "report_reasons",
    "removal_reason",
    "moderated_by",
    "moderated_at",
    "approved_at",
    "ip_hash",
]


@admin.register(Comment)
class CommentAdmin(ChangesPublicPages, admin.ModelAdmin):
    form = ModerationForm
    list_display = [
        "created_at",
        "article_title",
        "section_heading",
        "excerpt",
        "name",
        "email",
        "status_shown",
        "held_because",
        "address_history",
    ]
    list_display_links = ["created_at", "excerpt"]
    list_filter = [StatusFilter, "removal_reason"]
    list_select_related = ["article", "section"]
    search_fields = ["name", "email", "body", "article__title"]
    ordering = ["-created_at", "-pk"]
    date_hierarchy = "created_at"
    actions = [
        "approve_selected",
        "reject_selected",
        "mark_spam_selected",
        "erase_commenters_selected",
    ]
    fieldsets = [
        ("Moderation", {"fields": ["decision", "reason", "seen"]}),
        ("Comment", {"fields": COMMENT_FIELDS}),
        ("Record", {"fields": RECORD_FIELDS}),
    ]
    # Only the decision is edited; everything shown is the reader's or the record.
    readonly_fields = [*COMMENT_FIELDS, *RECORD_FIELDS]

    def has_add_permission(self, request):
        return False  # comments come from readers

    def has_delete_permission(self, request, obj=None):
        """Never through the admin's delete (it would cascade to replies and the record):
        editors in charge delete outright from the desk, which keeps the record."""
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).with_address_history()

    def get_urls(self):
        site = self.admin_site
        return [
            path("desk/", site.admin_view(self.desk_view), name="comments_comment_desk"),
            path("desk/bulk/", site.admin_view(self.desk_bulk_view), name="comments_comment_bulk"),
            path(
                "desk/<int:pk>/standing/",
                site.admin_view(self.desk_standing_view),
                name="comments_comment_standing",
            ),
            path(
                "desk/strict/<int:article_id>/<slug:switch>/",
                site.admin_view(self.desk_strict_view),
                name="comments_comment_strict",
            ),
            path(
                "desk/<int:pk>/<slug:action>/",
                site.admin_view(self.desk_decide_view),
                name="comments_comment_decide",
            ),
            *super().get_urls(),
        ]

    def desk_view(self, request):
        return desk.queue(request, self)

    def desk_bulk_view(self, request):
        return desk.bulk(request, self)

    def desk_standing_view(self, request, pk):
        return desk.set_standing(request, self, pk)

    def desk_strict_view(self, request, article_id, switch):
        return desk.strict_mode(request, self, article_id, switch)

    def desk_decide_view(self, request, pk, action):
        return desk.decide(request, self, pk, action)

    @admin.display(description="History")
    def decision_history(self, obj):
        """Every decision on the record, oldest first; none is ever overwritten."""
        decisions = obj.decisions.select_related("moderator")
        rows = format_html_join(
            "",
            "<li>{} — {} {} ({} → {}){}{}</li>",
            (
                (
                    f"{d.at:%Y-%m-%d %H:%M}",
                    d.moderator or "system",
                    d.get_action_display(),
                    d.get_from_status_display(),
                    d.get_to_status_display(),
                    f", reason: {d.get_reason_display()}" if d.reason else "",
                    f", note: {d.note}" if d.note else "",
                )
                for d in decisions
            ),
        )
        return format_html('<ol class="decision-history">{}</ol>', rows) if rows else "—"

    @admin.display(description="This address")
    def address_history(self, obj):
        """What this e-mail address (any case) has had before: a typed address proves
        nothing, so the moderator judges by its record."""
        if not obj.email:
            return "—"
        return (
            f"{obj.history_approved} approved · {obj.history_rejected} rejected · "
            f"{obj.history_spam} spam"
        )

    @admin.display(description="Reports")
    def report_reasons(self, obj):
        reasons = dict(CommentReport.Reason.choices)
        counts = {}
        for report in obj.reports.all():
            label = reasons.get(report.reason, "no reason given")
            counts[label] = counts.get(label, 0) + 1
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return ", ".join(f"{n} {label}" for label, n in ordered) or "—"

    @admin.display(description="Excerpt")
    def excerpt(self, obj):
        return Truncator(obj.body).chars(90)

    # Short columns so that the excerpt, name and email fit at desktop width.
    @admin.display(description="Article", ordering="article__title")
    def article_title(self, obj):
        return Truncator(obj.article.title).chars(40)

    @admin.display(description="Section", ordering="section__heading")
    def section_heading(self, obj):
        return Truncator(obj.section.heading).chars(30) if obj.section else "—"

    @admin.display(description="Status", ordering="status")
    def status_shown(self, obj):
        """The status, and a hidden field that sends it back with an action on the list:
        a comment another moderator decided since the list was shown is left as they
        decided (``moderation.seen_statuses``)."""
        return format_html("{}{}", obj.get_status_display(), seen_input(obj))

    @admin.display(description="Held because")
    def held_because(self, obj):
        return ", ".join(obj.held_reason_labels) or "—"

    @admin.display(description="Article")
    def article_link(self, obj):
        url = obj.get_absolute_url() if obj.is_public else obj.article.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, obj.article)

    def save_model(self, request, obj, form, change):
        """Nothing here is edited directly: the decision goes through ``moderation``, on
        the comment as the page showed it (``ModerationForm.seen_status``)."""
        decision = form.cleaned_data.get("decision")
        options = {"moderator": request.user, "expected_status": form.seen_status()}
        try:
            if decision == "approve":
                moderation.approve(obj, **options)
            elif decision == "reject":
                moderation.reject(obj, reason=form.cleaned_data["reason"], **options)
            elif decision == "spam":
                moderation.mark_spam(obj, **options)
            elif decision in ("feature", "unfeature") and obj.is_public:
                getattr(moderation, decision)(obj, **options)
        except moderation.StaleDecision as stale:  # decided in the instant since clean()
            self.message_user(request, said_of_stale_page(stale.comment), messages.WARNING)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve_selected(self, request, queryset):
        queryset, seen, unseen = self._shown(request, queryset)
        changes = moderation.approve_all(queryset, moderator=request.user, seen=seen)
        desk.log_decisions(request.user, changes)
        self._report(request, "approved", changes, queryset, unseen)

    @admin.action(description="Reject selected comments…", permissions=["change"])
    def reject_selected(self, request, queryset):
        """Ask for a reason first, then reject (the pattern of Django's delete_selected)."""
        queryset, seen, unseen = self._shown(request, queryset)
        if not queryset.exists():
            return self._gone_from_list(request)
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            changes = moderation.reject_all(
                queryset, reason=reason, moderator=request.user, seen=seen
            )
            desk.log_decisions(request.user, changes)
            label = Comment.RemovalReason(reason).label
            self._report(request, f"rejected as {label}", changes, queryset, unseen)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject comments",
            "opts": self.model._meta,
            # The confirmation sends back the status the list showed (or, with none, the
            # one it shows itself).
            "comments": [(comment, seen.get(comment.pk)) for comment in queryset],
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/comments/comment/reject_selected.html", context)

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam_selected(self, request, queryset):
        queryset, seen, unseen = self._shown(request, queryset)
        changes = moderation.mark_spam_all(queryset, moderator=request.user, seen=seen)
        desk.log_decisions(request.user, changes)
        self._report(request, "marked as spam", changes, queryset, unseen)

    @staticmethod
    def _shown(request, queryset):
        """``(comments, seen, unseen)``: what a moderation action may decide, the statuses
        the page showed, and how many comments were left because no page showed them.

        With "Select all" (``select_across``) Django's actions reach every comment the
        filters match, on later pages too, and those that arrived after the page was
        shown, which no moderator has read. A moderation decision reaches only the
        comments the page showed (its ``seen-<id>`` fields); a request that sends none
        (a script) decides what it selected, as Django does.
        """
        seen = moderation.seen_statuses(request.POST)
        if not seen or request.POST.get("select_across") in (None, "", "0"):
            return queryset, seen, 0
        return queryset.filter(pk__in=seen), seen, queryset.exclude(pk__in=seen).count()

    def has_delete_outright_permission(self, request):
        return request.user.has_perm(desk.DELETE_OUTRIGHT)

    @admin.action(
        description="Erase all data of the selected comments' commenters (on request)",
        permissions=["delete_outright"],
    )
    def erase_commenters_selected(self, request, queryset):
        """Every comment sent with each selected comment's address, as ``erase_commenter``.

        Cannot be undone, so it asks first, listing what goes (the pattern of
        Django's delete_selected): nothing changes until a POST with ``confirm``.
        """
        addresses = {c.email.lower() for c in queryset if c.email}
        if request.POST.get("confirm") != "yes":
            return self._confirm_erase(request, queryset, addresses)
        changes = []
        for email in sorted(addresses):
            changes += commenters.erase(email, moderator=request.user)
        desk.log_decisions(request.user, changes)
        self.message_user(
            request,
            f"Erased {len(changes)} comment{pluralize(len(changes))} from "
            f"{len(addresses)} address{pluralize(len(addresses), 'es')}.",
            messages.SUCCESS,
        )

    def _confirm_erase(self, request, queryset, addresses):
        erased = Comment.objects.none()
        for email in addresses:
            erased |= Comment.objects.by_email(email)
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase these commenters' data?",
            "opts": self.model._meta,
            "selected": queryset,
            "addresses": sorted(addresses),
            "erased": erased.filter(deleted_at__isnull=True)
            .select_related("article")
            .order_by("email", "-created_at"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/comments/comment/erase_commenters.html", context)

    def _gone_from_list(self, request):
        """The comments were selected on a list they have since left: most often another
        moderator decided them meanwhile (the list shows pending comments by default)."""
        self.message_user(request, GONE_FROM_LIST, messages.WARNING)

    def _report(self, request, outcome, changes, queryset, unseen=0):
        """For example "3 comments approved. 1 was already approved." """
        stale = len(changes.stale)
        changed, unchanged = len(changes), len(queryset) - len(changes) - stale
        if not changed and not unchanged and not stale:
            return self._gone_from_list(request)
        text = f"{changed} comment{pluralize(changed)} {outcome}."
        if unchanged:
            text += f" {unchanged} {'was' if unchanged == 1 else 'were'} already {outcome}."
        if stale:
            text += " " + moderation.Decisions.said_of_stale(stale)
        if unseen:
            text += " " + said_of_unseen(unseen)
        warn = stale or unseen
        self.message_user(request, text, messages.WARNING if warn else messages.SUCCESS)


@admin.register(Commenter)
class CommenterAdmin(admin.ModelAdmin):
    """Who an address is to the site: moderators set its standing here."""

    list_display = ["email", "standing", "verified_at", "updated_at"]
    list_editable = ["standing"]
    list_filter = ["standing", ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = ["verified_at", "updated_at"]
    fields = ["email", "standing", "verified_at", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # erase_commenter forgets an address with its comments
