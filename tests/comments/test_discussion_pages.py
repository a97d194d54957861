"""A long discussion comes in pages; counts and permalinks stay right."""

import datetime
import re

import pytest
from django.utils import timezone

from ..factories import ArticleFactory, CommentFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_discussion(settings):
    settings.COMMENTS_THREADS_PER_PAGE = 10
    article = ArticleFactory(published=True, slug="long")
    section = SectionFactory(article=article, heading="Ports")
    start = timezone.now() - datetime.timedelta(days=1)
    roots = [
        CommentFactory(
            article=article,
            approved=True,
            section=section if n % 2 else None,
            created_at=start + datetime.timedelta(minutes=n),
        )
        for n in range(25)
    ]
    reply = CommentFactory(
        article=article, approved=True, parent=roots[-1], created_at=timezone.now()
    )
    return article, roots, reply


def shown_ids(response):
    return [
        int(pk)
        for pk in re.findall(r'<li class="comment" id="comment-(\d+)"', response.content.decode())
    ]


def test_threads_come_a_page_at_a_time_oldest_first(client, long_discussion):
    article, roots, reply = long_discussion

    first = client.get(article.get_absolute_url())
    last = client.get(article.get_absolute_url() + "?comments=3")

    assert shown_ids(first) == [c.pk for c in roots[:10]]
    assert shown_ids(last) == [c.pk for c in roots[20:]] + [reply.pk]
    text = first.content.decode()
    assert "26 comments" in text  # the heading counts every approved comment
    assert "Comments page 1 of 3" in text and "?comments=2#comments" in text


def test_counts_in_the_contents_cover_every_page(client, long_discussion):
    article, _, _ = long_discussion
    page = client.get(article.get_absolute_url()).content.decode()
    # 12 of the 25 threads answer the section, most of them on later pages.
    assert '<span class="toc__responses">12 responses</span>' in page


@pytest.mark.parametrize("value", ["0", "-1", "x", "99999999999999999999", "4", "1001"])
def test_a_page_number_out_of_range_shows_a_page_not_an_error(client, long_discussion, value):
    article, _, _ = long_discussion
    assert client.get(article.get_absolute_url(), {"comments": value}).status_code == 200


def test_a_permalink_opens_the_page_that_shows_the_comment(client, long_discussion):
    article, roots, reply = long_discussion
    for comment in (roots[0], roots[15], roots[24], reply):
        url = comment.get_absolute_url()
        path, _, fragment = url.partition("#")
        assert fragment == f"comment-{comment.pk}"
        assert comment.pk in shown_ids(client.get(path)), url
    assert "?comments=" not in roots[0].get_absolute_url()


def test_the_comments_feed_links_each_comment_to_its_page(
    client, long_discussion, django_assert_max_num_queries
):
    article, roots, reply = long_discussion
    with django_assert_max_num_queries(6):
        feed = client.get(f"/comments/articles/{article.slug}/feed/").content.decode()
    assert f"/articles/long/?comments=3#comment-{reply.pk}" in feed
    assert f"/articles/long/#comment-{roots[0].pk}" in feed
