import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection

from comments import moderation
from comments.models import Comment

from ..factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def test_approving_records_who_and_when_and_returns_the_change(moderator):
    comment = CommentFactory()

    change = moderation.approve(comment, moderator=moderator)

    comment.refresh_from_db()
    assert (change.old_status, change.new_status) == ("pending", "approved")
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == moderator
    assert comment.moderated_at is not None and comment.approved_at is not None


def test_approving_an_approved_comment_changes_nothing_and_sends_nothing(moderator, mailoutbox):
    comment = CommentFactory(approved=True, notify=True)

    assert moderation.approve(comment, moderator=moderator) is None
    assert mailoutbox == []


def test_rejecting_records_the_reason_code(moderator):
    comment = CommentFactory(approved=True)

    change = moderation.reject(comment, reason="abusive", moderator=moderator)

    comment.refresh_from_db()
    assert change.new_status == comment.status == Comment.Status.REJECTED
    assert comment.removal_reason == Comment.RemovalReason.ABUSIVE
    assert comment.moderated_by == moderator


def test_rejecting_needs_a_known_reason():
    with pytest.raises(ValueError):
        moderation.reject(CommentFactory(), reason="boring")


def test_marking_spam_confirms_a_held_comment_with_the_spam_reason(moderator):
    held = CommentFactory(status=Comment.Status.SPAM, held_reasons=["too-many-links"])

    change = moderation.mark_spam(held, moderator=moderator)

    held.refresh_from_db()
    assert change is not None and change.old_status == "spam"
    assert held.removal_reason == Comment.RemovalReason.SPAM
    assert held.held_reasons == ["too-many-links"], "why it was held stays on record"
    assert moderation.mark_spam(held, moderator=moderator) is None


def test_lifecycle_approve_then_reject_then_approve_again_emails_only_once(mailoutbox):
    comment = CommentFactory(notify=True)

    moderation.approve(comment)
    moderation.reject(comment, reason="off-topic")
    moderation.approve(comment)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and comment.removal_reason == ""
    assert len(mailoutbox) == 1


def test_bulk_functions_return_only_what_changed():
    article = ArticleFactory(published=True)
    pending = CommentFactory.create_batch(2, article=article)
    already = CommentFactory(article=article, approved=True)

    changes = moderation.approve_all([*pending, already])

    assert sorted(change.comment.pk for change in changes) == sorted(c.pk for c in pending)


def test_reports_send_a_comment_back_to_the_queue_at_the_threshold(settings, moderator, mailoutbox):
    settings.COMMENTS_REPORTS_TO_REQUEUE = 3
    comment = CommentFactory(approved=True)

    assert [moderation.report(comment) for _ in range(3)] == [False, False, True]

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "reported" in comment.held_reasons
    assert [m.to for m in mailoutbox] == [[moderator.email]]


def test_reapproving_a_reported_comment_resets_its_reports(settings):
    settings.COMMENTS_REPORTS_TO_REQUEUE = 2
    comment = CommentFactory(approved=True)
    moderation.report(comment)
    moderation.report(comment)

    moderation.approve(comment)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and comment.report_count == 0
    assert moderation.report(comment) is False


def test_reporting_a_comment_that_is_not_public_does_nothing():
    comment = CommentFactory(rejected=True)

    assert moderation.report(comment) is False
    comment.refresh_from_db()
    assert comment.report_count == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_moderators_approving_at_once_end_in_one_state_with_one_record(mailoutbox):
    article = ArticleFactory(published=True)
    comment = CommentFactory(article=article, notify=True)
    moderators = [User.objects.create_user(f"mod{n}", is_staff=True) for n in range(2)]
    barrier = threading.Barrier(2)
    results = {}

    def decide(moderator):
        try:
            barrier.wait(timeout=10)
            results[moderator.username] = moderation.approve(
                Comment.objects.get(pk=comment.pk), moderator=moderator
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(m,)) for m in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    changed = [name for name, change in results.items() if change is not None]
    comment.refresh_from_db()
    assert len(results) == 2
    assert len(changed) == 1, results
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by.username == changed[0]
    assert len(mailoutbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_approve_and_reject_at_once_leave_a_consistent_record():
    comment = CommentFactory(article=ArticleFactory(published=True))
    barrier = threading.Barrier(2)

    def run(decide):
        try:
            barrier.wait(timeout=10)
            decide(Comment.objects.get(pk=comment.pk))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(moderation.approve,)),
        threading.Thread(target=run, args=(lambda c: moderation.reject(c, reason="abusive"),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    comment.refresh_from_db()
    if comment.status == Comment.Status.APPROVED:
        assert comment.removal_reason == ""
    else:
        assert comment.status == Comment.Status.REJECTED
        assert comment.removal_reason == Comment.RemovalReason.ABUSIVE
    assert comment.approved_at is not None, "the approval happened, whichever came last"
