"""Readers order the discussion (?sort=) and see editors' picks first; caches keep each order."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from comments import moderation

from ..factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion(settings):
    """Six threads a minute apart, the fourth an editors' pick, the second with a picked reply."""
    settings.PAGE_CACHE_ENABLED = True
    settings.COMMENTS_THREADS_PER_PAGE = 4
    article = ArticleFactory(published=True, slug="sorted")
    start = timezone.now() - datetime.timedelta(hours=1)
    roots = [
        CommentFactory(
            article=article, approved=True, created_at=start + datetime.timedelta(minutes=n)
        )
        for n in range(6)
    ]
    reply = CommentFactory(
        article=article,
        approved=True,
        parent=roots[1],
        created_at=start + datetime.timedelta(minutes=30),
    )
    for comment in (roots[3], reply):
        moderation.feature(comment)
    return article, roots, reply


def thread_ids(response):
    html = response.content.decode()
    return [int(pk) for pk in re.findall(r'<li class="comment" id="comment-(\d+)"', html)]


def pick_links(response):
    html = response.content.decode()
    start = html.index("Editors’ picks</h3>")
    picks = html[start : html.index("</aside>", start)]
    return re.findall(r'<a href="([^"]+)"', picks)


def get(url):
    response = Client().get(url)
    assert response.status_code == 200
    return response


def test_oldest_first_by_default_newest_and_featured_on_request(discussion):
    article, roots, reply = discussion
    url = article.get_absolute_url()
    r = [c.pk for c in roots]

    assert thread_ids(get(url)) == [r[0], r[1], reply.pk, r[2], r[3]]
    assert thread_ids(get(url + "?sort=newest")) == [r[5], r[4], r[3], r[2]]
    assert thread_ids(get(url + "?sort=featured")) == [r[1], reply.pk, r[3], r[0], r[2]]
    assert thread_ids(get(url + "?sort=newest&comments=2")) == [r[1], reply.pk, r[0]]


def test_the_sort_links_work_without_javascript_and_keep_the_order_across_pages(discussion):
    article, _, _ = discussion
    page = get(article.get_absolute_url() + "?sort=newest").content.decode()

    assert 'aria-current="true">Newest first</strong>' in page
    assert f'href="{article.get_absolute_url()}?sort=featured#comments"' in page
    assert f'href="{article.get_absolute_url()}?comments=2&amp;sort=newest#comments"' in page


def test_editors_picks_are_listed_first_linking_to_their_page_in_this_order(discussion):
    article, roots, reply = discussion
    base = article.get_absolute_url()

    assert pick_links(get(base)) == [f"{base}#comment-{roots[3].pk}", f"{base}#comment-{reply.pk}"]
    # Newest first, the reply's thread moves to the second page.
    assert pick_links(get(base + "?sort=newest&comments=2")) == [
        f"{base}?sort=newest#comment-{roots[3].pk}",
        f"{base}?comments=2&amp;sort=newest#comment-{reply.pk}",
    ]


def test_each_order_is_cached_apart_and_a_new_comment_refreshes_them(discussion):
    article, roots, _ = discussion
    url = article.get_absolute_url()
    oldest, newest = thread_ids(get(url)), thread_ids(get(url + "?sort=newest"))
    assert oldest != newest
    assert thread_ids(get(url)) == oldest and thread_ids(get(url + "?sort=newest")) == newest

    late = CommentFactory(article=article)
    moderation.approve(late)

    assert thread_ids(get(url + "?sort=newest"))[0] == late.pk
    assert late.pk not in thread_ids(get(url))


@hypothesis_settings(max_examples=25, deadline=None)
@given(sort=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30))
def test_any_other_sort_value_shows_the_default_order(sort):
    article = ArticleFactory(published=True)
    CommentFactory.create_batch(2, article=article, approved=True)
    default = thread_ids(get(article.get_absolute_url()))

    response = Client().get(article.get_absolute_url(), {"sort": sort})

    assert response.status_code == 200
    if sort not in ("newest", "featured"):
        assert thread_ids(response) == default


@pytest.mark.parametrize("sort", ["oldest", "newest", "featured"])
def test_picks_and_sorting_cost_no_query_per_comment(
    discussion, django_assert_max_num_queries, settings, sort
):
    settings.PAGE_CACHE_ENABLED = False
    article, _, _ = discussion
    url = f"{article.get_absolute_url()}?sort={sort}"
    with django_assert_max_num_queries(20) as small:
        get(url)
    for comment in CommentFactory.create_batch(12, article=article, approved=True):
        moderation.feature(comment)

    with django_assert_max_num_queries(len(small.captured_queries)):
        get(url)
