"""What a card shows beside the comment, for a whole page of cards in one query each."""

from django.db.models import Count
from django.db.models.functions import Lower

from ..models import Comment, Commenter, CommentReport


def add_history(cards):
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


def add_standings(cards):
    """``card.standing`` (a ``Commenter`` or None) for the page's addresses, in one query."""
    emails = {card.email.lower() for card in cards if card.email}
    known = {c.email: c for c in Commenter.objects.filter(email__in=emails)} if emails else {}
    for card in cards:
        card.standing = known.get(card.email.lower())


def add_report_summaries(cards):
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
