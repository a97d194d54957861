"""Decisions on the record: every decision is a row, and no row is ever overwritten."""

import pytest

from comments import moderation
from comments.models import Comment, ModerationDecision

from ..factories import CommentFactory

pytestmark = pytest.mark.django_db


def history(comment):
    return list(
        ModerationDecision.objects.filter(comment=comment).values_list(
            "action", "from_status", "to_status", "reason", "note"
        )
    )


def test_reject_then_approve_keeps_both_decisions_and_the_reason(moderator, editor):
    comment = CommentFactory()

    moderation.reject(comment, reason="abusive", moderator=moderator, note="Insults a reader")
    moderation.approve(comment, moderator=editor, note="On appeal: quoted, not meant")

    assert history(comment) == [
        ("reject", "pending", "rejected", "abusive", "Insults a reader"),
        ("approve", "rejected", "approved", "", "On appeal: quoted, not meant"),
    ]
    moderators = ModerationDecision.objects.filter(comment=comment).values_list(
        "moderator__username", flat=True
    )
    assert list(moderators) == [moderator.username, editor.username]


def test_every_kind_of_decision_writes_one_row(moderator, editor):
    comment = CommentFactory()

    moderation.approve(comment, moderator=moderator)
    moderation.feature(comment, moderator=moderator)
    moderation.unfeature(comment, moderator=moderator)
    moderation.mark_spam(comment, moderator=moderator)
    moderation.reject(comment, reason="off-topic", moderator=moderator)
    moderation.delete_outright(comment, reason="personal-data", moderator=editor)

    actions = [row[0] for row in history(comment)]
    assert actions == ["approve", "feature", "unfeature", "spam", "reject", "delete"]


def test_a_decision_that_changes_nothing_writes_nothing(moderator):
    comment = CommentFactory(approved=True)

    assert moderation.approve(comment, moderator=moderator) is None
    assert moderation.unfeature(comment, moderator=moderator) is None
    assert history(comment) == []


def test_a_system_decision_has_no_moderator():
    comment = CommentFactory()

    change = moderation.mark_spam(comment)

    assert change.decision.moderator is None
    assert "system" in str(change.decision)


def test_a_decision_that_rolls_back_leaves_no_record(moderator, monkeypatch):
    comment = CommentFactory()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(moderation, "record_decision", broken)
    with pytest.raises(RuntimeError):
        moderation.reject(comment, reason="abusive", moderator=moderator)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert history(comment) == []


def test_only_an_approved_comment_can_be_featured(moderator):
    pending = CommentFactory()

    with pytest.raises(moderation.NotApproved):
        moderation.feature(pending, moderator=moderator)

    pending.refresh_from_db()
    assert not pending.featured
    assert history(pending) == []


def test_removing_a_featured_comment_unfeatures_it(moderator):
    comment = CommentFactory(approved=True)
    moderation.feature(comment, moderator=moderator)

    moderation.reject(comment, reason="abusive", moderator=moderator)

    comment.refresh_from_db()
    assert not comment.featured
    assert not Comment.objects.featured().exists()


def test_a_stale_decision_changes_nothing_and_says_what_happened(moderator, editor):
    comment = CommentFactory()
    moderation.reject(comment, reason="abusive", moderator=editor)

    with pytest.raises(moderation.StaleDecision) as stale:
        moderation.approve(comment, moderator=moderator, expected_status="pending")

    assert stale.value.comment.status == Comment.Status.REJECTED
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert len(history(comment)) == 1


def test_deleting_outright_keeps_a_record_without_personal_data(editor):
    parent = CommentFactory(
        approved=True, name="Ines Varga", email="ines@example.net", body="My address is 1 Road."
    )
    reply = CommentFactory(reply=True, parent=parent, article=parent.article, approved=True)
    moderation.approve(parent, moderator=editor, note="fine")

    change = moderation.delete_outright(parent, reason="personal-data", moderator=editor)

    parent.refresh_from_db()
    assert change.old_status == "approved" and parent.status == Comment.Status.REJECTED
    assert parent.deleted_at is not None
    assert parent.name == "[deleted]"
    assert (parent.email, parent.body, parent.ip_hash) == ("", "", "")
    assert "Road" not in parent.body_html
    assert Comment.objects.filter(pk=reply.pk).exists()
    record = list(ModerationDecision.objects.filter(comment=parent).values())
    assert [row["action"] for row in record] == ["delete"]  # approve was a no-op
    assert not any("ines" in str(value).lower() for row in record for value in row.values())
    assert moderation.delete_outright(parent, reason="personal-data", moderator=editor) is None


def test_the_menu_count_includes_everything_waiting_for_a_human():
    CommentFactory()  # pending
    CommentFactory(held_reasons=["too-many-links"])  # pending, held
    CommentFactory(status=Comment.Status.SPAM, held_reasons=["blocklisted-word"])  # held as spam
    CommentFactory(approved=True, report_count=2)  # reported
    CommentFactory(approved=True)
    CommentFactory(spam=True)  # a moderator's spam
    CommentFactory(rejected=True)

    assert Comment.objects.waiting().count() == 4
    counts = Comment.objects.tab_counts()
    assert counts == {
        "pending": 1,
        "held": 2,
        "reported": 1,
        "approved": 2,
        "rejected": 1,
        "spam": 1,
        "featured": 0,
        "waiting": 4,
    }


def test_confirming_held_spam_moves_it_from_held_to_spam(moderator):
    held = CommentFactory(status=Comment.Status.SPAM, held_reasons=["blocklisted-word"])

    moderation.mark_spam(held, moderator=moderator)

    counts = Comment.objects.tab_counts()
    assert (counts["held"], counts["spam"], counts["waiting"]) == (0, 1, 0)


def test_no_decision_brings_back_a_comment_deleted_outright(moderator, editor):
    comment = CommentFactory(approved=True)
    moderation.delete_outright(comment, reason="personal-data", moderator=editor)

    assert moderation.approve_all([comment], moderator=moderator) == []
    assert moderation.feature(comment, moderator=moderator) is None
    assert moderation.mark_spam(comment, moderator=moderator) is None

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert [row[0] for row in history(comment)] == ["delete"]


def test_a_bulk_decision_leaves_alone_what_another_moderator_decided_after_it_read_the_list():
    """The list is read, then another moderator marks one as spam before the loop reaches it."""
    first, second, third = CommentFactory.create_batch(3)
    as_read = list(Comment.objects.filter(pk__in=[first.pk, second.pk, third.pk]).order_by("pk"))
    moderation.mark_spam(second)

    changes = moderation.approve_all(as_read)

    assert [change.comment.pk for change in changes] == [first.pk, third.pk]
    assert [comment.pk for comment in changes.stale] == [second.pk]
    assert Comment.objects.get(pk=second.pk).status == Comment.Status.SPAM
