"""Readers report comments to moderators; a report never takes a comment off the page."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from comments import client as clients
from comments.models import Comment, CommentReport

from ..factories import CommentFactory

pytestmark = pytest.mark.django_db

BODY = "A contested but perfectly civil claim."


def report_url(comment):
    return reverse("comments:report", args=[comment.pk])


def on_page(article):
    return BODY in Client().get(article.get_absolute_url()).content.decode()


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("times", [10, 50])
def test_many_reports_from_one_address_with_fresh_cookies_leave_the_comment_up(
    open_article, settings, times
):
    settings.COMMENTS_REPORT_RATE_LIMIT = 100
    comment = CommentFactory(article=open_article, approved=True, body=BODY)

    for _ in range(times):
        Client(REMOTE_ADDR="198.51.100.66").post(report_url(comment), {"reason": "abusive"})

    comment.refresh_from_db()
    assert on_page(open_article)
    assert comment.status == Comment.Status.APPROVED
    assert comment.report_count == 1, "one report per client address"
    assert CommentReport.objects.get().reason == "abusive"


def test_many_addresses_reporting_leave_the_comment_up_for_a_moderator(
    open_article, moderator, settings
):
    # Addresses prove no identity: even with auto-hiding on, unverified reports never hide.
    settings.COMMENTS_REPORTS_TO_HIDE = 2
    comment = CommentFactory(article=open_article, approved=True, body=BODY)

    for n in range(30):
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(report_url(comment))

    comment.refresh_from_db()
    assert on_page(open_article)
    assert comment.status == Comment.Status.APPROVED
    assert comment.report_count == 30
    assert list(Comment.objects.reported()) == [comment]


def test_a_reader_is_thanked_then_told_they_already_reported(client, open_article):
    comment = CommentFactory(article=open_article, approved=True)

    first = client.post(report_url(comment))
    second = client.post(report_url(comment))

    assert first.status_code == 302 and first["Location"] == comment.get_absolute_url()
    assert message_texts(first) == ["Thank you — a moderator will look at this comment again."]
    assert message_texts(second)[-1] == "You have already reported this comment."


def test_reports_are_rate_limited_per_client_address(open_article, settings):
    settings.COMMENTS_REPORT_RATE_LIMIT = 3
    comments = CommentFactory.create_batch(5, article=open_article, approved=True)
    reader = Client(REMOTE_ADDR="198.51.100.7")

    responses = [reader.post(report_url(comment)) for comment in comments]
    elsewhere = Client(REMOTE_ADDR="198.51.100.8").post(report_url(comments[-1]))

    assert CommentReport.objects.filter(ip_hash=clients.hash_ip("198.51.100.7")).count() == 3
    assert [response.status_code for response in responses] == [302, 302, 302, 429, 429]
    refused = responses[-1].content.decode()
    assert "You have reported many comments" in refused
    assert responses[-1]["Retry-After"] == "3600"
    assert comments[0].article.title in refused, "the reader stays on the article"
    assert message_texts(elsewhere) == ["Thank you — a moderator will look at this comment again."]


def test_an_unknown_reason_is_refused_with_a_message(client, open_article):
    comment = CommentFactory(article=open_article, approved=True)

    response = client.post(report_url(comment), {"reason": "<script>x</script>"})

    assert response.status_code == 302
    assert "That reason is not one we offer" in message_texts(response)[0]
    assert not CommentReport.objects.exists()


def test_report_needs_post_and_a_public_comment(client, open_article):
    hidden = CommentFactory(article=open_article)
    shown = CommentFactory(article=open_article, approved=True)

    # Opened as a link (after a refused report, say), the address leads to the comment.
    response = client.get(report_url(shown))
    assert response.status_code == 302
    assert response["Location"] == shown.get_absolute_url()
    assert client.get(report_url(hidden)).status_code == 404
    assert client.post(report_url(hidden)).status_code == 404
    assert not CommentReport.objects.exists()


@pytest.mark.parametrize("fresh_cookies", [False, True])
def test_fifty_reports_from_one_address_are_refused_with_429_past_the_limit(
    open_article, settings, fresh_cookies
):
    """The default limit: one client, or many cookie jars at one address, is one reporter."""
    comments = CommentFactory.create_batch(2, article=open_article, approved=True, body=BODY)
    reader = Client(REMOTE_ADDR="198.51.100.9")

    statuses = []
    for n in range(50):
        if fresh_cookies:
            reader = Client(REMOTE_ADDR="198.51.100.9")
        statuses.append(reader.post(report_url(comments[n % 2]), {"reason": "spam"}).status_code)

    limit = settings.COMMENTS_REPORT_RATE_LIMIT
    assert statuses == [302] * limit + [429] * (50 - limit)
    assert CommentReport.objects.count() == 2
    for comment in comments:
        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
    assert on_page(open_article)
