"""What a hostile tester found on the moderation desk: each a behaviour a moderator sees."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from comments import commenters
from comments.models import Comment, Commenter

from ..factories import ArticleFactory, CommentFactory, SectionFactory

pytestmark = pytest.mark.django_db

DESK = reverse("admin:comments_comment_desk")
BULK = reverse("admin:comments_comment_bulk")
CHANGELIST = reverse("admin:comments_comment_changelist")


def cards(response):
    return [int(pk) for pk in re.findall(r'id="card-(\d+)"', response.content.decode())]


def text(response):
    return " ".join(response.content.decode().split())


def said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def decide_url(comment, action):
    return reverse("admin:comments_comment_decide", args=[comment.pk, action])


@pytest.fixture
def desk(client, moderator):
    client.force_login(moderator)
    return client


# --- The commenter's standing, from the card ------------------------------------------


def test_the_cards_standing_select_offers_every_standing_and_sets_one(desk):
    comment = CommentFactory(email="Loud@Example.net", name="Loud")
    commenters.set_standing("loud@example.net", Commenter.Standing.TRUSTED)

    page = desk.get(DESK).content.decode()
    form = re.search(r'<form[^>]*class="desk-standing".*?</form>', page, re.S).group(0)
    options = dict(re.findall(r'<option value="([^"]+)"( selected)?>', form))
    assert set(options) == set(Commenter.Standing.values)
    assert options["trusted"] == " selected", "the current standing is the one chosen"

    action = re.search(r'action="([^"]+)"', form).group(1)
    for standing in Commenter.Standing.values:
        response = desk.post(action, {"standing": standing, "back": "tab=pending"})
        assert response.status_code == 302
        assert commenters.standing_of("loud@example.net") == standing
    assert cards(desk.get(DESK)) == [comment.pk]


# --- Irreversible actions ask first ---------------------------------------------------


def test_deleting_outright_asks_first_and_the_first_post_changes_nothing(client, editor):
    comment = CommentFactory(name="Ines Varga", email="ines@example.net", body="Words.")
    client.force_login(editor)

    for ask in (
        lambda: client.get(decide_url(comment, "delete")),
        lambda: client.post(decide_url(comment, "delete"), {"reason": "personal-data"}),
    ):
        page = ask()
        assert page.status_code == 200
        assert "Delete this comment outright? This cannot be undone." in text(page)
        assert 'name="confirm" value="yes"' in text(page)
        comment.refresh_from_db()
        assert comment.name == "Ines Varga" and comment.deleted_at is None
        assert not comment.decisions.exists()

    done = client.post(
        decide_url(comment, "delete"),
        {"reason": "personal-data", "confirm": "yes", "back": "tab=pending"},
    )
    assert done.status_code == 302
    comment.refresh_from_db()
    assert comment.name == "[deleted]" and comment.email == "" and comment.deleted_at


def test_a_moderator_cannot_even_open_the_delete_confirmation(desk):
    comment = CommentFactory()
    assert desk.get(decide_url(comment, "delete")).status_code == 403


def test_erasing_commenters_from_the_admin_lists_what_goes_and_asks_first(
    client, editor, open_article
):
    mine = CommentFactory(article=open_article, email="Anouk@Example.net", body="First.")
    also = CommentFactory(article=open_article, email="anouk@example.net", body="Second.")
    other = CommentFactory(article=open_article, email="bo@example.net", body="Bo's.")
    client.force_login(editor)
    data = {"action": "erase_commenters_selected", "_selected_action": [mine.pk]}

    page = client.post(CHANGELIST, data)

    assert page.status_code == 200
    body = text(page)
    assert "This cannot be undone." in body and 'value="Yes, erase"' in body
    assert "anouk@example.net" in body and "First." in body and "Second." in body
    assert "Bo&#x27;s." not in body and "bo@example.net" not in body
    assert Comment.objects.by_email("anouk@example.net").count() == 2, "nothing erased yet"

    client.post(CHANGELIST, {**data, "confirm": "yes"})
    assert Comment.objects.by_email("anouk@example.net").count() == 0
    also.refresh_from_db()
    other.refresh_from_db()
    assert also.deleted_at and other.deleted_at is None


# --- Filters that cannot be applied show nothing ----------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"article": "99999"},
        {"article": "not-a-number"},
        {"section": "abc"},
        {"tab": "nonsense"},
        {"reason": "held:nothing"},
    ],
)
def test_a_filter_that_cannot_be_applied_shows_an_error_and_no_cards(desk, query):
    CommentFactory.create_batch(3)

    response = desk.get(DESK, query)

    assert response.status_code == 200
    assert cards(response) == []
    [message] = said(response)
    assert message.startswith("No comments are shown:")
    assert "Nothing here." in text(response)


def test_a_section_of_another_article_is_not_applied_either(desk):
    article, elsewhere = ArticleFactory(published=True), ArticleFactory(published=True)
    CommentFactory(article=article)
    foreign = SectionFactory(article=elsewhere)

    response = desk.get(DESK, {"article": article.pk, "section": foreign.pk})

    assert cards(response) == []


# --- Bulk decisions explain themselves on the desk -------------------------------------


def test_bulk_with_nothing_ticked_says_so_on_the_desk(desk):
    CommentFactory()
    response = desk.post(BULK, {"action": "approve", "back": "tab=pending"}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(DESK)
    assert "Select at least one comment." in text(response)
    assert not Comment.objects.approved().exists()


def test_bulk_reject_without_a_reason_says_so_on_the_desk(desk):
    ticked = CommentFactory.create_batch(2)
    data = {"action": "reject", "selected": [c.pk for c in ticked], "back": "tab=pending"}

    response = desk.post(BULK, data, follow=True)

    assert response.status_code == 200 and response.redirect_chain
    assert "Choose why the comments are rejected." in text(response)
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 2


# --- Words -------------------------------------------------------------------------------


def test_keeping_a_reported_comment_says_kept_not_approved(desk):
    reported = CommentFactory(approved=True, report_count=2)

    response = desk.post(decide_url(reported, "approve"), {"seen": "approved"}, follow=True)

    assert any(m.startswith("Kept (reports cleared):") for m in said(response))
    assert not any(m.startswith("Approved") for m in said(response))
    reported.refresh_from_db()
    assert reported.is_public and reported.report_count == 0


def test_the_menu_count_says_waiting_as_it_counts_held_and_reported(desk):
    CommentFactory()
    CommentFactory(status=Comment.Status.SPAM, held_reasons=["blocklisted-word"])
    CommentFactory(approved=True, report_count=1)

    page = text(desk.get(DESK))

    assert '<span class="pending-count">(3 waiting)</span>' in page
    assert "pending)" not in page
