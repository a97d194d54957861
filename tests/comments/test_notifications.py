"""E-mail: moderators on each pending comment, commenters who asked on approval and replies."""

import re
import smtplib

import pytest
from django.contrib.auth.models import User
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse

from comments import moderation, notifications
from comments.models import Comment

from ..factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_email_per_comment(settings):
    """These tests cover one e-mail per comment or report; the digest: test_digest.py."""
    settings.COMMENTS_MODERATOR_DIGEST_MINUTES = 0


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
    to_moderators = [m for m in mailoutbox if m.to[0].endswith("@newsroom.example")]
    assert sorted(m.to[0] for m in to_moderators) == ["mo2@newsroom.example", moderator.email]
    assert "Straits and chokepoints" in to_moderators[0].subject
    assert admin_url in to_moderators[0].body
    [confirm] = [m for m in mailoutbox if m.to == ["anouk@example.net"]]
    assert "Confirm your address" in confirm.subject


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


class FailingSMTP(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("451 temporary local problem")


def test_a_decision_that_rolls_back_sends_no_email(mailoutbox, django_capture_on_commit_callbacks):
    comment = CommentFactory(notify=True)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        moderation.approve(comment)
        raise RuntimeError("something after the decision failed")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert callbacks == []
    assert mailoutbox == []


def test_a_committed_decision_sends_its_email_only_after_the_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    comment = CommentFactory(notify=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        moderation.approve(comment)
        assert mailoutbox == [], "nothing leaves before the commit"

    assert callbacks, "the e-mail waits for the commit"
    assert len(mailoutbox) == 1


def test_a_failing_mail_server_does_not_undo_an_approval(settings, committed, caplog):
    settings.EMAIL_BACKEND = "tests.comments.test_notifications.FailingSMTP"
    comment = CommentFactory(notify=True)

    with committed():
        change = moderation.approve(comment)

    comment.refresh_from_db()
    assert change is not None and comment.status == Comment.Status.APPROVED
    assert "Could not send comment_approved e-mail" in caplog.text


def test_a_failing_mail_server_does_not_refuse_a_readers_post(
    client, open_article, comment_data, moderator, settings, committed, caplog
):
    settings.EMAIL_BACKEND = "tests.comments.test_notifications.FailingSMTP"

    with committed():
        response = client.post(reverse("comments:post", args=[open_article.slug]), comment_data())

    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert "Could not send notify_moderators e-mail" in caplog.text


def test_the_admin_approves_even_when_the_mail_server_fails(client, moderator, settings, committed):
    settings.EMAIL_BACKEND = "tests.comments.test_notifications.FailingSMTP"
    comment = CommentFactory(notify=True)
    client.force_login(moderator)

    with committed():
        response = client.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "approve_selected", "_selected_action": [comment.pk]},
        )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


@pytest.mark.parametrize(
    "name",
    [
        "Eve\nBcc: victim@example.org",
        "Eve\r\nSubject: free money",
        "Eve\u2028Bcc: x@example.org",
        "Eve\u202eacm",
        "Eve\tand\x0bfriends\x85",
    ],
    ids=["LF", "CRLF", "line separator", "RTL override", "tab, VT, NEL"],
)
def test_stored_names_with_line_breaks_never_break_a_decision_or_a_header(
    client, moderator, mailoutbox, committed, name
):
    """Names stored before the form normalised them still reach subjects as one line."""
    article = ArticleFactory(published=True, title="Straits\nand chokepoints")
    parent = CommentFactory(article=article, approved=True, notify=True, name=name)
    reply = CommentFactory(article=article, parent=parent, name=name, notify=True)
    client.force_login(moderator)

    with committed():
        response = client.post(
            reverse("admin:comments_comment_change", args=[reply.pk]), {"decision": "approve"}
        )

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.status == Comment.Status.APPROVED
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        mime = message.message()
        assert mime["Bcc"] is None
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "\u202e" not in message.subject and "\u2028" not in message.subject
    assert "Eve" in mailoutbox[1].subject


def test_one_line_keeps_ordinary_text():
    assert (
        notifications.one_line("Ana’s reply on “Ice, shipping”") == "Ana’s reply on “Ice, shipping”"
    )
    assert notifications.one_line("a\n\n b\r\n\tc\u2029d") == "a b c d"
