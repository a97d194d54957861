"""What a hostile-stranger pass found in the comment post (26 November 2026).

Padding an address or a comment past the form's limits with whitespace the
form strips must not skip what the post's article query looks up: the
sender's standing and the early duplicate check. A post from another site is
refused with a message, and the reader keeps the words.
"""

import pytest
from django.test import Client

from comments import commenters
from comments.client import FORM_TOKEN_PLACEHOLDER
from comments.models import Comment, Commenter
from comments.views import FOREIGN_ORIGIN

from ..factories import ArticleFactory, CommentFactory
from .test_posting import post_url

pytestmark = pytest.mark.django_db

BANNED = "banned.person@example.org"
# Whitespace str.strip() removes, as the form does, past the 254 characters of an address.
PADDINGS = [" " * 260, "\n" * 300, "\u00a0" * 260, "\u3000" * 260, "\t" * 128 + " " * 128]


@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("where", ["before", "after"])
def test_a_banned_address_padded_with_whitespace_is_still_banned(
    open_article, comment_data, committed, padding, where
):
    commenters.set_standing(BANNED, Commenter.Standing.BANNED)
    typed = padding + BANNED if where == "before" else BANNED + padding

    with committed():
        response = Client().post(post_url(open_article), comment_data(email=typed))

    assert response.status_code == 302
    comment = Comment.objects.get(email=BANNED)
    assert comment.status == Comment.Status.SPAM
    assert Comment.HoldReason.BANNED in comment.held_reasons


def test_a_padded_address_that_earned_trust_is_not_published_once_banned(
    settings, open_article, comment_data, committed
):
    """With auto-approval on, the padded address of a banned commenter was published."""
    settings.COMMENTS_AUTO_APPROVE_AFTER = 1
    CommentFactory(email=BANNED, approved=True)
    commenters.set_standing(BANNED, Commenter.Standing.BANNED)
    with committed():
        Client().post(post_url(open_article), comment_data(email=BANNED + " " * 300))

    latest = Comment.objects.filter(email=BANNED).latest("pk")
    assert latest.status == Comment.Status.SPAM


@pytest.mark.parametrize("padding", [" " * 5000, "\u3000" * 5000, "\r\n" * 2600])
def test_the_same_words_on_another_article_padded_past_the_limit_are_a_duplicate(
    open_article, comment_data, committed, padding
):
    words = "Exactly the same words, posted everywhere."
    elsewhere = ArticleFactory(published=True)
    with committed():
        Client().post(post_url(elsewhere), comment_data(email="spammy@example.org", body=words))

    response = Client().post(
        post_url(open_article), comment_data(email="spammy@example.org", body=words + padding)
    )

    assert response.status_code == 400
    assert "You sent this same comment a few minutes ago" in response.content.decode()
    assert Comment.objects.filter(body=words).count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "http://testserver.evil.example/x"},
    ],
)
def test_a_post_from_another_site_is_refused_with_a_message_and_the_words_kept(
    open_article, comment_data, headers
):
    typed = "Three paragraphs I would hate to type again."
    response = Client().post(
        post_url(open_article), comment_data(body=typed, name="Rika Sato"), **headers
    )

    page = response.content.decode()
    assert response.status_code == 403
    assert FOREIGN_ORIGIN in page
    assert typed in page and "Rika Sato" in page
    assert FORM_TOKEN_PLACEHOLDER not in page  # a fresh token, to send it from here
    assert 'name="token" value="' in page
    assert not Comment.objects.exists()
