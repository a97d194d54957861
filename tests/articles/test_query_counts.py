"""Pages cost the same number of queries whatever the size of the content."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import page_cache

from ..factories import (
    ArticleFactory,
    CommentFactory,
    CorrectionFactory,
    FigureFactory,
    SectionFactory,
    SocialLinkFactory,
)

pytestmark = pytest.mark.django_db


def build_article(slug, sections, tags, figures, links, comments=0, notes=0):
    article = ArticleFactory(
        published=True, slug=slug, tags=[f"{slug} tag {n}" for n in range(tags)]
    )
    built = [
        SectionFactory(article=article, position=n, nested=bool(n % 3 == 2))
        for n in range(sections)
    ]
    for n in range(figures):
        FigureFactory(article=article, section=built[n % len(built)] if n % 2 else None)
    SocialLinkFactory.create_batch(links, author=article.author)
    CorrectionFactory.create_batch(notes, article=article)
    # Related articles that share the tags, each with tags of their own.
    for n in range(3):
        ArticleFactory(published=True, tags=[f"{slug} tag 0", f"other {slug} {n}"])
    for n in range(comments):
        parent = CommentFactory(article=article, approved=True, section=built[n % len(built)])
        CommentFactory(article=article, approved=True, parent=parent, depth=1)
        CommentFactory(article=article, rejected=True)
        CommentFactory(article=article, spam=True)
        CommentFactory(article=article)  # pending: neither shown nor counted
    return article


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_article_page_query_count_does_not_grow_with_sections_tags_figures(
    client, django_assert_max_num_queries
):
    small = build_article("small", sections=2, tags=1, figures=0, links=1, notes=1)
    large = build_article("large", sections=30, tags=10, figures=5, links=6, notes=7)

    small_count = count_queries(client, small.get_absolute_url())
    with django_assert_max_num_queries(small_count):
        client.get(large.get_absolute_url())


def test_an_article_page_costs_four_queries_at_most_without_any_cache_whatever_its_size(
    client, settings
):
    """Issue 8: at most four queries, the same with 2 sections as with 30 and 40 comments."""
    settings.PAGE_CACHE_ENABLED = False
    small = build_article("small", sections=2, tags=1, figures=0, links=0)
    large = build_article("large", sections=30, tags=10, figures=6, links=6, comments=10, notes=4)

    counts = [count_queries(client, f"{a.get_absolute_url()}?r=1") for a in (small, large)]
    again = [count_queries(client, f"{a.get_absolute_url()}?r=2") for a in (small, large)]

    assert counts[0] == counts[1] <= 4
    assert again == counts  # nothing is kept between requests


def test_an_article_page_costs_no_query_once_rendered_whatever_the_query_string(client, settings):
    """Unique query strings defeat the whole-page cache, never the shared rendering."""
    settings.PAGE_CACHE_ENABLED = True
    large = build_article("large", sections=30, tags=10, figures=6, links=6, comments=10, notes=4)
    page_cache.generation()  # the generation's one look-up of scheduled articles

    cold = count_queries(client, f"{large.get_absolute_url()}?r=1")
    warm = [count_queries(client, f"{large.get_absolute_url()}?r={n}") for n in (2, 3)]
    later_page = count_queries(client, f"{large.get_absolute_url()}?comments=2&r=4")

    assert cold <= 4
    assert warm == [0, 0]
    assert later_page <= 4  # another page of the discussion is rendered once too


def test_list_pages_query_count_does_not_grow_with_articles(client, django_assert_max_num_queries):
    seed = build_article("seed", sections=2, tags=2, figures=0, links=1)
    urls = ["/", "/tags/seed-tag-0/", "/search/?q=article", seed.author.get_absolute_url()]
    small_counts = {url: count_queries(client, url) for url in urls}

    for n in range(8):
        build_article(f"more{n}", sections=3, tags=3, figures=0, links=0)
    ArticleFactory.create_batch(6, published=True, author=seed.author, tags=["seed tag 0"])

    for url in urls:
        with django_assert_max_num_queries(small_counts[url]):
            client.get(url)


def test_feeds_query_count_does_not_grow_with_articles_and_their_notes(
    client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_ENABLED = False  # count the rendering, not the page cache
    seed = build_article("seed", sections=1, tags=1, figures=0, links=0, notes=1)
    urls = ["/feed/", "/feed/atom/", "/tags/seed-tag-0/feed/", "/sitemap-news.xml"]
    small_counts = {url: count_queries(client, url) for url in urls}

    for n in range(6):
        build_article(f"more{n}", sections=1, tags=1, figures=0, links=0, notes=3)
    ArticleFactory.create_batch(4, published=True, author=seed.author, tags=["seed tag 0"])

    for url in urls:
        with django_assert_max_num_queries(small_counts[url]):
            client.get(url)
