"""E-mail: moderators on each pending comment, commenters who asked on approval and replies."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from comments import moderation, notifications
from comments.models import Comment

from ..factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def unsubscribe_path(message):
    return re.search(r"https?://[^/\s]+(/comments/unsubscribe/[^\s]+/)", message.body).group(1)


def test_each_moderator_gets_an_email_with_an_admin_link_for_a_new_pending_comment(
    client, open_article, comment_data, moderator, mailoutbox, settings, committed
):
    settings.COMMENTS_SITE_URL = "https://news.example.org"
    second = User.objects.create_user("mo2", "mo2@newsroom.example", is_staff=True)
    second.groups.add(moderator.groups.get())
    User.objects.create_user("idle", "idle@newsroom.example", is_staff=True, is_active=False)

    with committed():
        client.post(reverse("comments:post", args=[open_article.slug]), comment_data())

    comment = Comment.objects.get()
    admin_url = "https://news.example.org" + reverse(
        "admin:comments_comment_change", args=[comment.pk]
    )
    assert sorted(m.to[0] for m in mailoutbox) == ["mo2@newsroom.example", moderator.email]
    assert "Straits and chokepoints" in mailoutbox[0].subject
    assert admin_url in mailoutbox[0].body


def test_an_opted_in_commenter_hears_of_approval_with_an_unsubscribe_link(
    mailoutbox, settings, committed
):
    settings.COMMENTS_SITE_URL = "https://news.example.org"
    comment = CommentFactory(notify=True, email="ana@example.net", name="Ana")

    with committed():
        moderation.approve(comment)

    [message] = mailoutbox
    assert message.to == ["ana@example.net"]
    assert "is published" in message.subject
    assert f"https://news.example.org{comment.get_absolute_url()}" in message.body
    assert "/comments/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<https://news.example.org/comments/unsubscribe/"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_commenter_who_did_not_ask_gets_no_email(mailoutbox, committed):
    with committed():
        moderation.approve(CommentFactory(notify=False))

    assert mailoutbox == []


def test_an_approved_reply_is_announced_to_the_opted_in_parent_without_the_replier_email(
    mailoutbox, committed
):
    article = ArticleFactory(published=True)
    parent = CommentFactory(article=article, approved=True, notify=True, email="ana@example.net")
    reply = CommentFactory(
        article=article, parent=parent, name="Bo", email="bo-private@example.net", body="Agreed."
    )
    assert mailoutbox == [], "a pending reply announces nothing"

    with committed():
        moderation.approve(reply)

    [message] = mailoutbox
    assert message.to == ["ana@example.net"]
    assert "Bo replied" in message.subject
    assert "Agreed." in message.body
    assert "bo-private@example.net" not in message.body


def test_replying_to_yourself_sends_no_reply_email(mailoutbox, committed):
    article = ArticleFactory(published=True)
    parent = CommentFactory(article=article, approved=True, notify=True, email="ana@example.net")

    with committed():
        moderation.approve(CommentFactory(article=article, parent=parent, email="ANA@example.net"))

    assert mailoutbox == []


def test_unsubscribe_link_asks_on_get_and_stops_emails_on_post(client, mailoutbox, committed):
    comment = CommentFactory(notify=True, email="ana@example.net")
    other = CommentFactory(notify=True, email="ana@example.net")
    with committed():
        moderation.approve(comment)
    path = unsubscribe_path(mailoutbox[0])

    asked = client.get(path)
    other.refresh_from_db()
    assert asked.status_code == 200
    assert "Stop e-mails" in asked.content.decode()
    assert other.notify, "following the link alone changes nothing"

    done = client.post(path)

    assert done.status_code == 200
    assert "we will send no more e-mails" in done.content.decode()
    assert not Comment.objects.filter(email="ana@example.net", notify=True).exists()
    with committed():
        moderation.approve(other)
    assert len(mailoutbox) == 1


def test_one_click_unsubscribe_works_without_a_csrf_token(mailoutbox, committed):
    from django.test import Client

    comment = CommentFactory(notify=True)
    with committed():
        moderation.approve(comment)

    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_path(mailoutbox[0]), {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    comment.refresh_from_db()
    assert not comment.notify


def test_a_forged_unsubscribe_link_is_a_clear_400(client):
    comment = CommentFactory(notify=True)
    forged = notifications.unsubscribe_token(comment)[:-4] + "abcd"

    response = client.post(reverse("comments:unsubscribe", args=[forged]))

    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.content.decode()
    comment.refresh_from_db()
    assert comment.notify
