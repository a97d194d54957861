"""
The article pages get comments only through articles.discussion: with no provider
registered (the comments app not there), every page renders, with no discussion,
no comment form and no counts.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles import discussion

from ..factories import ArticleFactory, CommentFactory


@pytest.fixture
def discussed(published_article):
    CommentFactory.create_batch(2, article=published_article, approved=True)
    return published_article


def test_with_comments_the_article_page_shows_the_discussion_and_the_form(client, discussed):
    html = client.get(discussed.get_absolute_url()).content.decode()

    assert 'id="comments"' in html and "2 comments" in html
    assert 'id="comment-form"' in html
    assert "Respond to this section" in html


def test_without_a_provider_the_article_page_has_no_discussion_or_form(client, discussed):
    with discussion.provided_by(None):
        response = client.get(discussed.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ice, shipping and sovereignty" in html and "The thaw" in html
    assert 'id="comments"' not in html and "comments.css" not in html
    assert "2 comments" not in html and "Comments on Ice" not in html
    assert 'id="comment-form"' not in html and "Respond to this section" not in html


def test_without_a_provider_a_reply_link_and_a_signed_in_reader_get_no_form(
    client, admin_user, discussed
):
    with discussion.provided_by(None):
        anonymous = client.get(discussed.get_absolute_url() + "?reply_to=1").content.decode()
        client.force_login(admin_user)
        signed_in = client.get(discussed.get_absolute_url()).content.decode()

    assert 'id="comment-form"' not in anonymous
    assert 'id="comment-form"' not in signed_in and 'id="comments"' not in signed_in


def test_without_a_provider_list_cards_show_no_count(client, discussed):
    tag_page = reverse("articles:tag", args=["arctic"])
    assert "2 comments</a>" in client.get(tag_page).content.decode()
    cache.clear()  # the whole-page cache would answer with the page above
    with discussion.provided_by(None):
        html = client.get(tag_page).content.decode()

    assert "Ice, shipping and sovereignty" in html
    assert "comments</a>" not in html


def test_list_cards_count_approved_comments_per_article(client, author, discussed):
    quiet = ArticleFactory(published=True, author=author, title="A quiet article")
    CommentFactory(article=quiet)  # pending: not counted
    other = ArticleFactory(published=True, author=author, title="One remark")
    CommentFactory(article=other, approved=True)

    html = client.get(reverse("articles:author", args=[author.slug])).content.decode()

    assert "2 comments</a>" in html and "1 comment</a>" in html
    assert html.count("comment</a>") + html.count("comments</a>") == 2


def test_annotate_comment_counts_on_an_empty_page_costs_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert discussion.annotate_comment_counts([]) == []
