"""Moderators get one digest every N minutes instead of an e-mail per comment."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from comments import moderation, tasks
from comments.models import Comment

from ..factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    """A queue that keeps tasks (and their run_after) instead of running them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.COMMENTS_MODERATOR_DIGEST_MINUTES = 15
    settings.COMMENTS_SURGE_COMMENTS = 0
    default_task_backend.clear()
    return default_task_backend


def digests(queue):
    """The digests queued (each new address is also sent a verification link)."""
    return [result for result in queue.results if result.task.name == "send_moderator_digest"]


def post(article, comment_data, n, committed, **fields):
    fields = {"email": f"r{n}@example.net", "body": f"Point {n} about the straits.", **fields}
    with committed():
        return Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(
            reverse("comments:post", args=[article.slug]), comment_data(**fields)
        )


def test_many_comments_make_one_digest_in_n_minutes_listing_them(
    queue, open_article, comment_data, committed, moderator, mailoutbox
):
    before = timezone.now()
    for n in range(12):
        post(open_article, comment_data, n, committed)
    post(open_article, comment_data, 99, committed, body="Buy cheap pills now", website="")

    assert mailoutbox == [], "nothing per comment"
    [scheduled] = digests(queue)
    assert scheduled.task.name == "send_moderator_digest"
    expected = before + datetime.timedelta(minutes=15)
    assert abs(scheduled.task.run_after - expected) < datetime.timedelta(seconds=30)

    assert tasks.send_moderator_digest.call() == 1
    [digest] = mailoutbox
    assert digest.to == [moderator.email]
    assert digest.subject == "13 comments to moderate"
    assert "13 (13 pending, 0 held by rules, 0 reported)" in digest.body
    assert all(f"Point {n} about the straits." in digest.body for n in range(12))
    assert "/admin/comments/comment/desk/" in digest.body


def test_the_next_digest_is_scheduled_by_the_first_thing_after_the_window(
    queue, open_article, comment_data, committed
):
    post(open_article, comment_data, 1, committed)
    post(open_article, comment_data, 2, committed)
    cache.delete(tasks.DIGEST_SCHEDULED)  # the window has passed
    post(open_article, comment_data, 3, committed)

    assert len(digests(queue)) == 2


def test_reports_go_into_the_digest(queue, open_article, committed, moderator, mailoutbox):
    comment = CommentFactory(article=open_article, approved=True, body="Contested words.")
    with committed():
        moderation.report(comment, ip_hash="a" * 64, reason="abusive")

    assert len(digests(queue)) == 1 and mailoutbox == []
    tasks.send_moderator_digest.call()
    assert "1 reported" in mailoutbox[0].body and "reported 1×" in mailoutbox[0].body


def test_nothing_waiting_sends_no_digest(queue, open_article, moderator, mailoutbox):
    CommentFactory(article=open_article, approved=True)

    assert tasks.send_moderator_digest.call() == 0
    assert mailoutbox == []


def test_a_long_queue_lists_the_newest_and_counts_the_rest(queue, moderator, mailoutbox):
    CommentFactory.create_batch(25, status=Comment.Status.PENDING)

    tasks.send_moderator_digest.call()

    assert "…and 5 more." in mailoutbox[0].body


def test_without_a_deferring_queue_the_digest_goes_at_once(
    open_article, comment_data, committed, moderator, mailoutbox, settings
):
    settings.COMMENTS_MODERATOR_DIGEST_MINUTES = 15
    post(open_article, comment_data, 1, committed)

    to_moderators = [m.subject for m in mailoutbox if m.to == [moderator.email]]
    assert to_moderators == ["1 comment to moderate"]


def test_a_take_down_by_verified_readers_schedules_a_digest_after_an_earlier_one_went(
    queue, open_article, committed, moderator, mailoutbox, settings
):
    from comments.models import Commenter

    settings.COMMENTS_REPORTS_TO_HIDE = 2
    comment = CommentFactory(article=open_article, approved=True, body="Contested words.")
    first, second = (
        Commenter.objects.create(email=f"v{n}@example.net", verified_at=timezone.now())
        for n in range(2)
    )
    with committed():
        moderation.report(comment, ip_hash="a" * 64, reporter=first)
    cache.delete(tasks.DIGEST_SCHEDULED)  # that digest has gone out

    with committed():
        moderation.report(comment, ip_hash="b" * 64, reporter=second)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert len(digests(queue)) == 2
    tasks.send_moderator_digest.call()
    assert "1 reported" in mailoutbox[0].body
