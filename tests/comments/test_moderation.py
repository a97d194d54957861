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


def test_approving_an_approved_comment_changes_nothing_and_sends_nothing(
    moderator, mailoutbox, committed
):
    comment = CommentFactory(approved=True, notify=True)

    with committed():
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


def test_lifecycle_approve_then_reject_then_approve_again_emails_only_once(mailoutbox, committed):
    comment = CommentFactory(notify=True)

    with committed():
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


def test_reports_never_hide_a_comment_and_page_moderators_once(
    moderator, mailoutbox, committed, settings
):
    settings.COMMENTS_SURGE_REPORTS = 0  # 50 at once is a surge: test_surge.py
    settings.COMMENTS_MODERATOR_DIGEST_MINUTES = 0  # one e-mail per report (test_digest.py)
    comment = CommentFactory(approved=True)

    with committed():
        flags = [
            moderation.report(comment, ip_hash=f"{n:064x}", reason="abusive") for n in range(50)
        ]

    comment.refresh_from_db()
    assert all(flags)
    assert comment.status == Comment.Status.APPROVED
    assert comment.report_count == 50 and comment.reports.count() == 50
    assert Comment.objects.reported().get() == comment
    assert [m.to for m in mailoutbox] == [[moderator.email]]
    assert "reported" in mailoutbox[0].subject and "abusive" in mailoutbox[0].body


def test_one_client_address_reports_a_comment_once():
    comment = CommentFactory(approved=True)

    first = moderation.report(comment, ip_hash="a" * 64)
    again = moderation.report(comment, ip_hash="a" * 64, reason="spam")

    comment.refresh_from_db()
    assert first is not None and again is None
    assert comment.report_count == 1 and comment.reports.count() == 1


def test_approving_a_reported_comment_keeps_it_and_clears_its_reports(
    moderator, mailoutbox, committed
):
    comment = CommentFactory(approved=True, notify=True)
    moderation.report(comment, ip_hash="a" * 64)
    moderation.report(comment, ip_hash="b" * 64)

    with committed():
        change = moderation.approve(comment, moderator=moderator)

    comment.refresh_from_db()
    assert (change.old_status, change.new_status) == ("approved", "approved")
    assert comment.status == Comment.Status.APPROVED and comment.report_count == 0
    assert comment.moderated_by == moderator
    assert not Comment.objects.reported().exists()
    assert mailoutbox == [], "the commenter heard of the first approval already"


def test_reporting_a_comment_that_is_not_public_does_nothing():
    comment = CommentFactory(rejected=True)

    assert moderation.report(comment, ip_hash="a" * 64) is None
    comment.refresh_from_db()
    assert comment.report_count == 0 and not comment.reports.exists()


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
