"""The desk and the post, as a hostile tester tries them: forged requests, wrong people,
stale pages, ids that do not exist, text that draws nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from comments import editing
from comments.models import Comment, Commenter, ModerationDecision, StrictMode

from ..factories import CommentFactory
from .conftest import staff_in

pytestmark = pytest.mark.django_db

DESK = reverse("admin:comments_comment_desk")
BULK = reverse("admin:comments_comment_bulk")
HUGE = 2**63
# Each draws nothing: zero-width space and joiners, word joiner, BOM, Hangul
# fillers, the blank Braille pattern, a lone combining grapheme joiner, soft hyphen.
INVISIBLE = [
    "\u200b",
    "\u200b\u200c\u200d",
    "\u2060 \ufeff",
    "\u3164",
    "\u115f\u1160",
    "\u2800\u2800",
    "\u034f",
    "\u00ad",
]


def decide_url(pk, action):
    return reverse("admin:comments_comment_decide", args=[pk, action])


def unchanged(comment, status=Comment.Status.PENDING):
    comment.refresh_from_db()
    return comment.status == status and not ModerationDecision.objects.exists()


def test_a_decision_without_the_csrf_token_is_refused(moderator):
    comment = CommentFactory()
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(moderator)

    response = forged.post(decide_url(comment.pk, "approve"), {"seen": "pending"})
    bulk = forged.post(BULK, {"action": "approve", "selected": [comment.pk]})

    assert (response.status_code, bulk.status_code) == (403, 403)
    assert unchanged(comment)


def test_a_contributor_cannot_open_the_desk_or_decide(client):
    comment = CommentFactory()
    client.force_login(staff_in("Contributors", "cora"))

    assert client.get(DESK).status_code == 403
    assert client.post(decide_url(comment.pk, "approve"), {"seen": "pending"}).status_code == 403
    assert client.post(BULK, {"action": "spam", "selected": [comment.pk]}).status_code == 403
    standing = reverse("admin:comments_comment_standing", args=[comment.pk])
    assert client.post(standing, {"standing": "banned"}).status_code == 403
    assert unchanged(comment) and not Commenter.objects.exists()


@pytest.mark.parametrize("pk", [999_999, HUGE, HUGE * 10])
def test_a_decision_on_an_id_that_does_not_exist_changes_nothing(client, moderator, pk):
    comment = CommentFactory()
    client.force_login(moderator)

    response = client.post(decide_url(pk, "approve"), {"seen": "pending"})

    assert response.status_code == 404
    assert unchanged(comment)


def test_a_bulk_decision_with_forged_ids_is_refused_whole(client, moderator):
    real = CommentFactory()
    client.force_login(moderator)

    response = client.post(
        BULK,
        {"action": "approve", "selected": [real.pk, 999_999, HUGE, -1, "x", "１２"]},
        follow=True,
    )

    assert response.redirect_chain, "said on the desk itself"
    assert "Nothing was changed" in response.content.decode()
    assert unchanged(real)


def test_strict_mode_on_an_article_that_does_not_exist_is_404(client, moderator):
    client.force_login(moderator)

    for article_id in (999_999, HUGE):
        url = reverse("admin:comments_comment_strict", args=[article_id, "on"])
        assert client.post(url).status_code == 404
    assert not StrictMode.objects.exists()


def test_a_decision_sent_twice_from_two_stale_tabs_is_one_decision(client, moderator, editor):
    comment = CommentFactory()
    other = Client()
    other.force_login(editor)
    client.force_login(moderator)

    first = client.post(decide_url(comment.pk, "approve"), {"seen": "pending"}, follow=True)
    again = client.post(decide_url(comment.pk, "approve"), {"seen": "pending"}, follow=True)
    stale = other.post(
        decide_url(comment.pk, "reject"), {"seen": "pending", "reason": "abusive"}, follow=True
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert ModerationDecision.objects.count() == 1
    assert first.status_code == again.status_code == stale.status_code == 200
    assert "Another decision came first" in stale.content.decode()


@pytest.mark.parametrize("blank", INVISIBLE)
@pytest.mark.parametrize("field", ["name", "body"])
def test_a_name_or_comment_that_draws_nothing_is_refused(
    client, open_article, comment_data, field, blank
):
    response = client.post(
        reverse("comments:post", args=[open_article.slug]), comment_data(**{field: blank})
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("name", ["محمد", "Ж", "李", "Zoë", "🙂", "a\u200db"])
def test_real_names_in_any_script_still_pass(client, open_article, comment_data, name):
    response = client.post(
        reverse("comments:post", args=[open_article.slug]), comment_data(name=name)
    )

    assert response.status_code == 302
    assert Comment.objects.get().name == name


def test_an_edit_to_text_that_draws_nothing_is_refused(client, open_article):
    comment = CommentFactory(article=open_article, body="A real point.")
    url = reverse("comments:edit", args=[editing.edit_token(comment)])

    response = client.post(url, {"body": "\u200b\u3164"})

    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.body == "A real point."


def test_a_huge_comment_is_refused_with_a_message_not_an_error(client, open_article, comment_data):
    response = client.post(
        reverse("comments:post", args=[open_article.slug]), comment_data(body="words " * 200_000)
    )

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_right_to_left_names_and_comments_keep_their_own_direction(client, open_article, moderator):
    # An Arabic name next to "3 approved" would otherwise pull the number into its run.
    CommentFactory(article=open_article, approved=True, name="مريم", body="رأي واضح.")

    page = client.get(open_article.get_absolute_url()).content.decode()
    client.force_login(moderator)
    card = client.get(DESK, {"tab": "approved"}).content.decode()

    assert '<bdi class="comment__name">مريم</bdi>' in page
    assert '<div class="comment__body" dir="auto"><p>رأي واضح.</p></div>' in page
    assert "<bdi>مريم</bdi>" in card and '<div class="desk-body" dir="auto">' in card


@pytest.mark.parametrize(
    "spelling", ["banned@example.net", "  Banned@Example.NET ", "BANNED@EXAMPLE.NET"]
)
def test_a_banned_address_in_any_spelling_goes_straight_to_spam_through_the_form(
    client, open_article, comment_data, spelling
):
    from comments import commenters

    commenters.set_standing("banned@example.net", Commenter.Standing.BANNED)

    response = client.post(
        reverse("comments:post", args=[open_article.slug]), comment_data(email=spelling)
    )

    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.SPAM
