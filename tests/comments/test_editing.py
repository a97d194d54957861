"""A commenter edits or withdraws their own comment within the window (issue 10)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import page_cache
from comments import editing
from comments.models import Comment, ModerationDecision

from ..factories import CommentFactory
from .test_posting import message_texts, page_of, post_url

pytestmark = pytest.mark.django_db

BODY = "The thaw changes insurance costs more than routes do, for now."
SOME = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def edit_url(comment):
    return reverse("comments:edit", args=[editing.edit_token(comment)])


def offered_link(response):
    """The edit link in the messages shown after posting."""
    for text in message_texts(response):
        if found := re.search(r'href="([^"]+/edit/[^"]+)"', text):
            return found.group(1)
    raise AssertionError(f"no edit link in {message_texts(response)}")


def test_the_link_shown_after_posting_edits_the_comment_and_it_shows_edited(
    client, open_article, comment_data
):
    response = client.post(post_url(open_article), comment_data(body=BODY))
    link = offered_link(response)
    page = client.get(link)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]

    client.post(link, {"body": BODY.replace("routes do", "routes")})

    comment = Comment.objects.get()
    assert comment.body == BODY.replace("routes do", "routes") and comment.edited_at
    assert comment.status == Comment.Status.PENDING
    assert comment.decisions.get().action == ModerationDecision.Action.EDIT


def test_a_typo_fix_keeps_a_published_comment_published_and_marked_edited(client, open_article):
    comment = CommentFactory(article=open_article, approved=True, body=BODY)
    assert "(edited)" not in page_of(client, open_article)  # now in the caches

    client.post(edit_url(comment), {"body": BODY.replace("insurance", "insurence")})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    page = page_of(client, open_article)
    assert "insurence" in page and "(edited)" in page


@SOME
# The edit form refuses NUL (PostgreSQL cannot store it) before editing.edit is called,
# and text that came over HTTP as UTF-8 holds no lone surrogates (category Cs).
@given(
    new=st.text(
        st.characters(exclude_characters="\x00", exclude_categories=("Cs",)),
        min_size=1,
        max_size=300,
    ).filter(lambda t: t.strip())
)
def test_more_than_a_typo_sends_a_published_comment_back_to_the_queue(open_article, new):
    comment = CommentFactory(article=open_article, approved=True, body=BODY)

    editing.edit(comment, body=new)

    comment.refresh_from_db()
    if comment.body == BODY:
        return  # the same words after trimming: nothing changed
    typo = editing.is_typo_fix(BODY, new.strip())
    assert comment.status == (Comment.Status.APPROVED if typo else Comment.Status.PENDING)
    assert comment.edited_at is not None


def test_withdrawing_takes_it_off_the_site_on_the_record(client, open_article):
    comment = CommentFactory(article=open_article, approved=True, body=BODY, name="Withdrawer")

    response = client.post(edit_url(comment), {"withdraw": "1"}, follow=True)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    decision = comment.decisions.get()
    assert decision.action == ModerationDecision.Action.WITHDRAW and decision.moderator is None
    assert "Withdrawer" not in page_of(client, open_article)
    assert "withdrawn" in response.content.decode()
    assert Comment.objects.removal_counts() == {}, "not counted as a moderator's removal"


@pytest.mark.parametrize("action", [{"body": "Something else entirely."}, {"withdraw": "1"}])
def test_after_the_window_both_are_refused_and_nothing_changes(client, open_article, action):
    old = timezone.now() - datetime.timedelta(minutes=16)
    comment = CommentFactory(article=open_article, approved=True, body=BODY, created_at=old)

    response = client.post(edit_url(comment), action)

    assert response.status_code == 410
    assert "The time to change this comment has passed" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == BODY and comment.status == Comment.Status.APPROVED
    assert not comment.decisions.exists()
    assert client.get(edit_url(comment)).status_code == 410


def test_the_window_is_a_setting(client, open_article, settings):
    settings.COMMENTS_EDIT_WINDOW = 60 * 60
    old = timezone.now() - datetime.timedelta(minutes=30)
    comment = CommentFactory(article=open_article, approved=True, body=BODY, created_at=old)

    assert client.post(edit_url(comment), {"withdraw": "1"}).status_code == 302


def test_a_comment_a_moderator_removed_cannot_be_brought_back(client, open_article):
    comment = CommentFactory(article=open_article, rejected=True, body=BODY)

    response = client.post(edit_url(comment), {"body": "Back again?"})

    assert response.status_code == 410
    comment.refresh_from_db()
    assert comment.body == BODY


@SOME
@given(token=st.text(min_size=1, max_size=60).filter(lambda t: "/" not in t and t.strip()))
def test_a_forged_link_changes_nothing(client, open_article, token):
    comment = CommentFactory(article=open_article, approved=True, body=BODY)

    response = client.post(reverse("comments:edit", args=[token]), {"withdraw": "1"})

    assert response.status_code in (400, 404)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_an_empty_edit_is_refused_with_a_message(client, open_article):
    comment = CommentFactory(article=open_article, body=BODY)

    response = client.post(edit_url(comment), {"body": "   "})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == BODY


def test_edited_marks_cost_no_query_per_comment(
    client, open_article, django_assert_max_num_queries
):
    def add_edited(n):
        for comment in CommentFactory.create_batch(n, article=open_article, approved=True):
            Comment.objects.filter(pk=comment.pk).update(edited_at=timezone.now())
        page_cache.content_changed()  # update() skips what editing.edit() does

    add_edited(1)
    with django_assert_max_num_queries(40) as one:
        page_of(client, open_article)
    add_edited(15)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = page_of(client, open_article)
    assert page.count("(edited)") == 16


def test_a_banned_commenter_edits_like_anyone_and_learns_nothing(
    client, open_article, comment_data
):
    from comments import commenters
    from comments.models import Commenter

    commenters.set_standing("anouk@example.net", Commenter.Standing.BANNED)
    response = client.post(post_url(open_article), comment_data(body=BODY))
    link = offered_link(response)

    assert client.get(link).status_code == 200
    edited = client.post(link, {"body": "Something else entirely, and longer."}, follow=True)

    assert edited.status_code == 200
    assert "a moderator will look at it before it appears" in edited.content.decode()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM and "banned-commenter" in comment.held_reasons
