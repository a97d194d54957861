"""
Reader comments, pre-moderated.

A comment is born ``pending`` (or ``spam`` when a rule in ``spam.py`` holds
it) and only an ``approved`` comment is public: ``Comment.objects.approved()``
is the one definition that pages, counts and feeds use. Moderators move it
between states with the functions in ``moderation.py``, which record who did
it, when, and, for a removal, a reason code that readers see only as a count.

The body is plain text. ``save()`` renders it once: escaped, URLs linked with
``rel="nofollow ugc noopener"``, blank lines made into paragraphs.
"""

import re
from collections import Counter

from django.conf import settings
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone
from django.utils.html import linebreaks, urlize
from django.utils.text import Truncator

from articles.models import Article, Section

from .. import policy

MAILTO_LINK = re.compile(r'<a href="mailto:[^"]*">(.*?)</a>')


def render_body(text):
    """Plain text → safe HTML: every character escaped, links inert to search engines.

    E-mail addresses stay plain text: a page of mailto links is a harvest.
    """
    linked = urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
    # urlize escaped the reader's own text, so any tag or rel left is urlize's own.
    linked = MAILTO_LINK.sub(r"\1", linked)
    linked = linked.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')
    return linebreaks(linked, autoescape=False)


def comments_are_open(article, *, now=None):
    """Open unless closed (by an editor, or archived), or published too long ago."""
    return policy.current().accepts_comments(article, now=now)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """What the public may see."""
        return self.filter(status=Comment.Status.APPROVED)

    def with_discussion_pages(self):
        """The comments as a list, each knowing its discussion page, in two queries."""
        comments = list(self.select_related("article", "parent__parent"))
        articles = {comment.article_id for comment in comments}
        roots = (
            Comment.objects.approved()
            .filter(article_id__in=articles, parent__isnull=True)
            .for_thread()
            .values_list("article_id", "pk")
        )
        position, seen = {}, Counter()
        for article_id, pk in roots:
            position[pk] = seen[article_id]
            seen[article_id] += 1
        per_page = settings.COMMENTS_THREADS_PER_PAGE
        for comment in comments:
            root = comment
            while root.parent_id:
                root = root.parent
            comment._discussion_page = position.get(root.pk, 0) // per_page + 1
        return comments

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def removed(self):
        """Rejected or confirmed as spam by a moderator, with a reason readers may count."""
        return self.filter(status__in=[Comment.Status.REJECTED, Comment.Status.SPAM]).exclude(
            removal_reason=""
        )

    def held(self):
        """Kept from the ordinary queue by a rule (spam rules, held reasons) and not yet
        looked at by a moderator."""
        return self.filter(_HELD)

    def waiting(self):
        """Everything waiting for a human: pending, held by rules, or reported."""
        return self.filter(_WAITING)

    def featured(self):
        """Editors' picks: approved and featured."""
        return self.approved().filter(featured=True)

    def in_tab(self, tab):
        """The comments of one tab of the moderation desk (see ``DESK_TABS``)."""
        return self.filter(_TABS[tab])

    def tab_counts(self):
        """``{tab: count}`` for every tab of the desk, plus ``waiting``, in one query."""
        counts = {tab: Count("pk", filter=condition) for tab, condition in _TABS.items()}
        return self.order_by().aggregate(**counts, waiting=Count("pk", filter=_WAITING))

    def for_article(self, article):
        return self.filter(article=article)

    def for_thread(self):
        """Oldest first, as a discussion is read; replies sort by the same rule."""
        return self.order_by("created_at", "pk")

    def reported(self):
        """Public comments that readers reported since a moderator last looked."""
        return self.approved().filter(report_count__gt=0)

    def by_email(self, email):
        return self.filter(email__iexact=email) if email else self.none()

    def with_address_history(self):
        """Annotate ``history_approved``, ``history_rejected`` and ``history_spam``: how many
        comments from the same e-mail address (any case) have each status, for moderators."""
        return self.annotate(
            **{f"history_{status}": _count_for_address(status) for status in ADDRESS_HISTORY}
        )

    def removal_counts(self):
        """``{reason code: count}`` for removed comments, in one query."""
        rows = self.removed().order_by().values("removal_reason").annotate(n=Count("pk"))
        return {row["removal_reason"]: row["n"] for row in rows}

    def approved_counts_by_article(self, articles):
        """``{article id: approved comment count}`` for the given articles, in one query."""
        rows = (
            self.approved()
            .filter(article__in=[a.pk for a in articles])
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
        )
        return {row["article"]: row["n"] for row in rows}


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    class RemovalReason(models.TextChoices):
        """Why a moderator removed a comment; readers see these as counts."""

        OFF_TOPIC = "off-topic", "off-topic"
        ABUSIVE = "abusive", "abusive"
        SPAM = "spam", "spam"
        PERSONAL_DATA = "personal-data", "personal data"
        DUPLICATE = "duplicate", "duplicate"
        OTHER = "other", "other"

    class HoldReason(models.TextChoices):
        """Signals that kept a comment out of the ordinary queue, shown to moderators."""

        TOO_MANY_LINKS = "too-many-links", "too many links"
        BLOCKLISTED_WORD = "blocklisted-word", "blocklisted word"
        MOSTLY_LINKS = "mostly-links", "mostly links"
        # Taken down by reports from COMMENTS_REPORTS_TO_HIDE verified readers (and
        # comments requeued by reports before issue 7): pending, under "Reported".
        REPORTED = "reported", "reported by readers"
        RATE_LIMIT_UNAVAILABLE = "rate-limit-unavailable", "rate limit could not be checked"
        BANNED = "banned-commenter", "the commenter is banned"
        # The article is in strict mode (surge.py): every comment waits, links especially.
        STRICT_MODE = "strict-mode", "article in strict mode"
        LINK_IN_STRICT_MODE = "link-in-strict-mode", "link while in strict mode"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text="The section this comment responds to; blank for the whole article.",
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name = models.CharField(max_length=80)
    email = models.EmailField(blank=True, help_text="Private. Never shown on the site.")
    body = models.TextField(max_length=5000)
    body_html = models.TextField(blank=True, editable=False)
    notify = models.BooleanField(
        "email the commenter", default=False, help_text="On approval and on approved replies."
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    # The moderation record.
    held_reasons = models.JSONField(default=list, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_comments",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.CharField(max_length=20, choices=RemovalReason, blank=True)
    approved_at = models.DateTimeField(
        null=True, blank=True, help_text="When it first went public; e-mails go out only then."
    )
    report_count = models.PositiveIntegerField(
        default=0,
        help_text="Reader reports since a moderator last kept it; the comment stays public.",
    )
    featured = models.BooleanField(
        default=False,
        editable=False,
        help_text="An editors' pick, set and cleared by a moderator's decision; approved only.",
    )
    deleted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Deleted outright: the name, e-mail, text and address hash are gone.",
    )
    email_verified = models.BooleanField(
        default=False,
        editable=False,
        help_text=(
            "The sender proved they read this address: they opened the link mailed about "
            "this comment, or their browser had proved it before. Only then can trust apply."
        ),
    )
    edited_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Last changed by the commenter."
    )
    # Keyed hash of (article, e-mail, normalised body) while the comment stands;
    # blank once a moderator removes it. Unique per article: see spam.fingerprint().
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    # Keyed hash of the client address (never the address itself).
    ip_hash = models.CharField("IP hash", max_length=64, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("delete_comment_outright", "Can delete a comment outright (editors in charge)"),
        ]
        indexes = [
            models.Index(fields=["article", "status", "created_at"]),
            models.Index(fields=["status", "-created_at"]),
            # by_email() (any case): the duplicate check on every post, a moderator's
            # view of an address's history. Without it a post scans the last ten
            # minutes of comments, thousands when a piece draws a crowd (issue 8).
            models.Index(Upper("email"), "created_at", name="comment_email_any_case"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected", "spam"]),
                name="comment_status_known",
            ),
            models.UniqueConstraint(
                fields=["article", "fingerprint"],
                condition=~Q(fingerprint=""),
                name="comment_unique_fingerprint_per_article",
            ),
        ]

    def __str__(self):
        return f"{self.name}: {Truncator(self.body).chars(50)}"

    def get_absolute_url(self):
        """The comment on its article's page, on the page of the discussion that shows it."""
        page = self.discussion_page()
        query = f"?comments={page}" if page > 1 else ""
        return f"{self.article.get_absolute_url()}{query}#comment-{self.pk}"

    def discussion_page(self):
        """Which page of the article's discussion shows this comment's thread.

        Threads are shown oldest first, ``COMMENTS_THREADS_PER_PAGE`` a page.
        ``CommentQuerySet.with_discussion_pages`` sets it for many comments in
        one query; otherwise it costs a query (and one per level of replies).
        """
        if hasattr(self, "_discussion_page"):
            return self._discussion_page
        if self.status != self.Status.APPROVED:
            return 1
        root = self
        while root.parent_id:
            root = root.parent
        earlier = (
            Comment.objects.approved()
            .filter(article_id=self.article_id, parent__isnull=True)
            .filter(
                Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)
            )
            .count()
        )
        return earlier // settings.COMMENTS_THREADS_PER_PAGE + 1

    # The fields Meta.constraints name (kept in step with them).
    CONSTRAINED_FIELDS = frozenset({"status", "article", "fingerprint"})

    def validate_constraints(self, exclude=None):
        """As Django's, but not at all for a form that sets none of ``CONSTRAINED_FIELDS``
        (a reader's comment form: name, e-mail, body). Django would compile the status
        check only to find its field excluded: half a millisecond of every post (issue 8).
        The database holds every constraint either way."""
        if exclude is not None and set(exclude) >= self.CONSTRAINED_FIELDS:
            return
        super().validate_constraints(exclude=exclude)

    def save(self, *args, **kwargs):
        if self._state.adding and self.parent_id:
            # A reply sits one level under its parent and answers the same section.
            self.depth = self.parent.depth + 1
            self.section_id = self.parent.section_id
        self.body_html = render_body(self.body)
        super().save(*args, **kwargs)

    @property
    def is_public(self):
        return self.status == self.Status.APPROVED

    @property
    def accepts_replies(self):
        return policy.current().accepts_reply_to(self.depth)

    @property
    def held_reason_labels(self):
        labels = dict(self.HoldReason.choices)
        return [labels.get(code, code) for code in self.held_reasons]


ADDRESS_HISTORY = ["approved", "rejected", "spam"]

# Taken down by verified readers' reports (moderation.report): it waits under "Reported".
_TAKEN_DOWN = Q(status=Comment.Status.PENDING, report_count__gt=0)
_HELD = (
    ~Q(held_reasons=[])
    & (Q(status=Comment.Status.PENDING) | Q(status=Comment.Status.SPAM, moderated_at__isnull=True))
    & ~_TAKEN_DOWN
)
_REPORTED = Q(status=Comment.Status.APPROVED, report_count__gt=0) | _TAKEN_DOWN
_WAITING = Q(status=Comment.Status.PENDING) | _HELD | _REPORTED
WAITING = _WAITING  # what waits for a human: the desk's menu count, the moderators' digest
# The desk's tabs, in order. "Pending" is the ordinary queue; a comment held by a rule
# sits under "Held by rules" until a moderator decides, and only then under "Spam".
_TABS = {
    "pending": Q(status=Comment.Status.PENDING, held_reasons=[]),
    "held": _HELD,
    "reported": _REPORTED,
    "approved": Q(status=Comment.Status.APPROVED),
    "rejected": Q(status=Comment.Status.REJECTED),
    "spam": Q(status=Comment.Status.SPAM) & ~_HELD,
    "featured": Q(status=Comment.Status.APPROVED, featured=True),
}
DESK_TABS = [
    ("pending", "Pending"),
    ("held", "Held by rules"),
    ("reported", "Reported"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("spam", "Spam"),
    ("featured", "Featured"),
]


def _count_for_address(status):
    same_address = (
        Comment.objects.filter(email__iexact=OuterRef("email"), status=status)
        .exclude(email="")
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(same_address, output_field=IntegerField()), 0)
