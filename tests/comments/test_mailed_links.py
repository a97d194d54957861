"""What we mail a commenter: the edit link in the confirmation mail, and no address in any URL."""

import base64
import json
import re

import pytest
from django.core import signing
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments import commenters, editing, notifications
from comments.durations import format_duration
from comments.models import Comment

from ..factories import CommentFactory
from .test_posting import message_texts, post_url

pytestmark = pytest.mark.django_db

ADDRESS = "anouk.vermeer@example.net"


def urls_in(message):
    return re.findall(r"https?://\S+", message.body)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def payload_of(token):
    """What anyone who sees the URL can read: the base64 JSON before the signature."""
    head = token.split(":")[0]
    compressed = head.startswith(".")
    raw = base64.urlsafe_b64decode(head.lstrip(".") + "=" * (-len(head.lstrip(".")) % 4))
    assert not compressed, "our payloads are small enough to stay uncompressed"
    return raw.decode()


def test_the_confirmation_mail_carries_a_working_edit_link_and_its_window(
    client, open_article, comment_data, mailoutbox, committed, settings
):
    settings.COMMENTS_SITE_URL = "http://testserver"
    settings.COMMENTS_EDIT_WINDOW = 900
    with committed():
        client.post(post_url(open_article), comment_data(body="First words."))
    [mail] = [m for m in mailoutbox if m.to == ["anouk@example.net"]]

    assert "For 15 minutes after sending it you can edit or withdraw it here:" in mail.body
    [edit_url] = [url for url in urls_in(mail) if "/comments/edit/" in url]
    page = client.get(path_of(edit_url))
    assert page.status_code == 200
    assert "First words." in page.content.decode()


def test_the_edit_window_reads_as_words_after_posting(client, open_article, comment_data, settings):
    settings.COMMENTS_EDIT_WINDOW = 60
    response = client.post(post_url(open_article), comment_data(), follow=True)
    assert any("for 1 minute." in text for text in message_texts(response))

    settings.COMMENTS_EDIT_WINDOW = 90
    response = client.post(post_url(open_article), comment_data(body="Other."), follow=True)
    assert any("for 1 minute 30 seconds." in text for text in message_texts(response))


@pytest.mark.parametrize(
    "seconds, words",
    [
        (1, "1 second"),
        (60, "1 minute"),
        (90, "1 minute 30 seconds"),
        (900, "15 minutes"),
        (3600, "1 hour"),
        (3725, "1 hour 2 minutes"),
        (86400 + 3600, "1 day 1 hour"),
    ],
)
def test_durations_read_as_words(seconds, words):
    assert format_duration(seconds) == words


@given(st.integers(min_value=-(10**6), max_value=10**9))
def test_a_duration_never_says_one_thing_in_the_plural(seconds):
    words = format_duration(seconds)
    assert not re.search(r"\b1 \w+s\b", words)
    assert not re.search(r"\b(?:[02-9]|\d\d+) (?:day|hour|minute|second)\b", words)


def test_no_mailed_url_carries_the_address(open_article, settings, committed, mailoutbox):
    settings.COMMENTS_SITE_URL = "https://news.example.org"
    comment = CommentFactory(article=open_article, email=ADDRESS, notify=True, approved=True)
    reply = CommentFactory(article=open_article, parent=comment, approved=True)
    mails = [
        notifications.verification_message(comment),
        *notifications.approval_messages(reply),
    ]
    tokens = [
        url.rstrip("/").rsplit("/", 1)[1]
        for mail in mails
        for url in urls_in(mail)
        if "/comments/" in url
    ]
    assert len(tokens) >= 3  # verify, edit, unsubscribe

    for token in tokens:
        readable = payload_of(token)
        assert "@" not in readable and "anouk" not in readable.lower(), readable
    for token in (
        commenters.verification_token(comment),
        editing.edit_token(comment),
        notifications.unsubscribe_token(comment),
    ):
        assert "@" not in payload_of(token)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(local=st.from_regex(r"[a-z0-9._]{1,30}", fullmatch=True))
def test_the_verify_token_reveals_no_address_whatever_it_is(open_article, local):
    comment = CommentFactory.build(article=open_article, pk=7, email=f"{local}@example.net")
    readable = json.loads(payload_of(commenters.verification_token(comment)))
    assert set(readable) == {"c", "a"} and readable["c"] == 7
    assert re.fullmatch(r"[0-9a-f]{20}", readable["a"]), "a keyed digest, not the address"
    assert "@" not in payload_of(commenters.verification_token(comment))


def test_a_link_in_the_old_format_gets_the_expired_page_not_an_error(client, open_article):
    comment = CommentFactory(article=open_article, email=ADDRESS)
    old = signing.dumps({"c": comment.pk, "e": ADDRESS}, salt=commenters.VERIFY_SALT)

    for method in (client.get, client.post):
        response = method(reverse("comments:verify", args=[old]))
        assert response.status_code == 400
        assert "not valid or has expired" in response.content.decode()
    comment.refresh_from_db()
    assert not comment.email_verified


def test_a_verify_link_stops_working_when_the_address_changes(client, open_article):
    comment = CommentFactory(article=open_article, email=ADDRESS)
    token = commenters.verification_token(comment)
    Comment.objects.filter(pk=comment.pk).update(email="someone.else@example.net")

    assert client.post(reverse("comments:verify", args=[token])).status_code == 400
    assert client.get(reverse("comments:verify", args=[token])).status_code == 400
