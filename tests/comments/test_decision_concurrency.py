"""Two moderators deciding the same comment at the same moment: one consistent state, two rows."""

import threading

import pytest
from django.db import connection

from comments import moderation
from comments.models import Comment, ModerationDecision

from ..factories import CommentFactory
from .conftest import staff_in

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def at_once(*decisions):
    """Run each decision in its own thread (its own connection), released together."""
    barrier = threading.Barrier(len(decisions))
    errors = []

    def run(decide):
        try:
            barrier.wait(timeout=20)
            decide()
        except Exception as error:  # reported below, not swallowed
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(decide,)) for decide in decisions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


@pytest.mark.parametrize("repeat", range(3))
def test_approve_and_reject_at_once_leave_one_state_and_two_history_rows(repeat):
    comment = CommentFactory()
    first, second = staff_in("Moderators", "moira"), staff_in("Editors", "eddie")

    at_once(
        lambda: moderation.approve(Comment(pk=comment.pk), moderator=first),
        lambda: moderation.reject(Comment(pk=comment.pk), reason="abusive", moderator=second),
    )

    comment.refresh_from_db()
    rows = list(ModerationDecision.objects.filter(comment=comment).order_by("pk"))
    assert len(rows) == 2
    assert rows[0].from_status == "pending"
    assert rows[1].from_status == rows[0].to_status  # the second saw the first's decision
    assert comment.status == rows[1].to_status
    assert comment.moderated_by_id == rows[1].moderator_id
    assert (comment.removal_reason == "abusive") == (comment.status == "rejected")


def test_the_same_decision_twice_at_once_is_recorded_once():
    comment = CommentFactory()
    first, second = staff_in("Moderators", "moira"), staff_in("Editors", "eddie")

    at_once(
        lambda: moderation.mark_spam(Comment(pk=comment.pk), moderator=first),
        lambda: moderation.mark_spam(Comment(pk=comment.pk), moderator=second),
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert ModerationDecision.objects.filter(comment=comment).count() == 1


@pytest.mark.parametrize("repeat", range(3))
def test_verified_reports_at_once_take_a_comment_down_once(settings, repeat):
    """Three verified readers report at the same instant with two needed: one take-down."""
    from comments.models import Commenter

    settings.COMMENTS_REPORTS_TO_HIDE = 2
    comment = CommentFactory(approved=True)
    readers = [
        Commenter.objects.create(email=f"r{n}@example.net", verified_at="2026-01-01T00:00Z")
        for n in range(3)
    ]

    at_once(
        *[
            lambda reader=reader, n=n: moderation.report(
                Comment(pk=comment.pk), ip_hash=f"address-{n}", reporter=reader
            )
            for n, reader in enumerate(readers)
        ]
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.report_count == 2, "a report after the take-down is not taken"
    assert list(comment.decisions.values_list("action", flat=True)) == ["take-down"]


@pytest.mark.parametrize("repeat", range(2))
def test_two_bulk_decisions_at_once_never_overwrite_each_other(repeat):
    """Two moderators on the same pending list, one approving all, one marking all as spam,
    at the same moment: each comment gets exactly one decision, and each moderator's loop
    leaves alone what the other decided first (found by a hostile-stranger pass)."""
    comments = CommentFactory.create_batch(30)
    first, second = staff_in("Moderators", "moira"), staff_in("Editors", "eddie")
    results = {}

    def bulk(name, decide, moderator):
        def run():
            results[name] = decide(
                Comment.objects.filter(status=Comment.Status.PENDING).order_by("pk"),
                moderator=moderator,
            )

        return run

    at_once(
        bulk("approved", moderation.approve_all, first),
        bulk("spam", moderation.mark_spam_all, second),
    )

    ids = [c.pk for c in comments]
    per_comment = ModerationDecision.objects.filter(comment_id__in=ids)
    assert sorted(per_comment.values_list("comment_id", flat=True)) == ids  # one each
    approved, spam = results["approved"], results["spam"]
    assert len(approved) + len(spam) == 30
    assert len(approved.stale) == len(spam) and len(spam.stale) == len(approved)
