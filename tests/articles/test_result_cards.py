"""Search result cards: rendered once per page-cache generation, shared by every search."""

import pytest
from django.db import connection
from django.urls import reverse

from articles import card_sql, page_cache, publishing, result_cards, search
from articles.models import Article
from comments import moderation

from ..factories import ArticleFactory, AuthorFactory, CommentFactory, SectionFactory
from ..unreachable import UNREACHABLE_CACHES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def copper(db):
    article = ArticleFactory(
        published=True,
        slug="copper",
        title="Copper and the new mines",
        author=AuthorFactory(name="Ines Varga", slug="ines-varga"),
        tags=["Mining", "Andes"],
    )
    SectionFactory(article=article, heading="Mines", body="Copper mines of the high Andes.")
    search.refresh_search_vector(article)
    return article


def searched(client, q):
    """The page and the SQL a search ran (each search is new: its words differ)."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(reverse("articles:search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode(), statements


def read_tags(statements):
    """The statements that read a card's tags (the search itself may match tag names):
    ``articles.card_sql``'s on PostgreSQL, the ORM's prefetch elsewhere."""
    return [
        sql
        for sql in statements
        if sql == card_sql.CARDS_STATEMENT
        or ("taggit_tag" in sql and "_prefetch_related_val" in sql)
    ]


def test_a_card_is_rendered_once_and_shared_by_other_searches(client, copper):
    first, rendering = searched(client, "copper")
    second, shared = searched(client, "copper mines")

    for page in (first, second):
        assert "Copper and the new mines" in page and "Ines Varga" in page
        assert 'href="/tags/mining/"' in page and "Andes" in page
    assert read_tags(rendering), "the first search renders the card"
    assert not read_tags(shared), "another search reuses it"
    assert len(shared) < len(rendering)


def test_each_search_shows_its_own_passage_in_the_shared_card(client, copper):
    page, _ = searched(client, "copper")
    again, _ = searched(client, "mines")

    if connection.vendor == "postgresql":
        assert "<mark>Copper</mark>" in page and "<mark>mines</mark>" in again
        assert "<mark>Copper</mark>" not in again
    else:  # no passages on SQLite: the standfirst
        assert copper.standfirst[:30] in page and copper.standfirst[:30] in again


def test_a_card_shows_what_changed_on_the_next_search(client, admin_client, copper):
    searched(client, "copper")
    comment = CommentFactory(article=copper)
    moderation.approve(comment)
    assert "1 comment" in searched(client, "copper mines")[0]

    author = copper.author
    admin_client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        {
            "name": "Zqrenamed Author",
            "slug": author.slug,
            "social_links-TOTAL_FORMS": "0",
            "social_links-INITIAL_FORMS": "0",
            "social_links-MIN_NUM_FORMS": "0",
            "social_links-MAX_NUM_FORMS": "1000",
        },
    )
    page = searched(client, "high copper")[0]
    assert "Zqrenamed Author" in page and "Ines Varga" not in page


def test_an_unpublished_article_is_never_shown_from_its_card(client, copper):
    assert "Copper and the new mines" in searched(client, "copper")[0]

    publishing.unpublish(copper)

    assert "Copper and the new mines" not in searched(client, "copper mines")[0]
    assert result_cards.cards([copper.pk]) == {}


def test_cards_are_only_ever_rendered_for_published_articles():
    draft = ArticleFactory(title="Zqdraft copper")
    page_cache.content_changed()
    assert result_cards.cards([draft.pk]) == {}
    assert result_cards.render_cards([draft.pk]) == {}


def test_cards_are_never_rendered_for_scheduled_unpublished_or_withdrawn_articles():
    hidden = [
        ArticleFactory(scheduled=True),
        ArticleFactory(unpublished=True),
        ArticleFactory(published=True, status=Article.Status.DRAFT),
    ]
    shown = ArticleFactory(published=True)
    page_cache.content_changed()

    assert set(result_cards.render_cards([a.pk for a in [*hidden, shown]])) == {shown.pk}


def card_content(articles):
    return {
        article.pk: (
            article.title,
            article.slug,
            article.standfirst,
            article.published_at,
            article.reading_minutes,
            article.author.name,
            article.author.get_absolute_url(),
            [(tag.name, tag.slug) for tag in article.tag_list],
        )
        for article in articles
    }


def test_card_rows_are_what_the_orm_reads(copper):
    """On PostgreSQL the rows come from a written-out statement (articles.card_sql); they
    hold what ``for_results()`` reads, the tags by name."""
    other = ArticleFactory(published=True, tags=["Zinc", "Arctic", "nickel"])
    SectionFactory(article=other, body="one two three " * 300)
    SectionFactory(article=other, body="four five")
    bare = ArticleFactory(published=True, tags=[])
    ids = [copper.pk, other.pk, bare.pk, ArticleFactory(scheduled=True).pk, 987654]

    expected = card_content(Article.objects.published().filter(pk__in=ids).for_results())
    for row in expected.values():
        row[-1].sort(key=lambda tag: tag[0].casefold())
    read = card_content(result_cards.card_rows(ids))

    assert read == expected
    assert [name for name, _ in read[other.pk][-1]] == ["Arctic", "nickel", "Zinc"]
    assert read[other.pk][4] > 1 and read[bare.pk][-1] == []


def test_cards_still_come_when_the_cache_is_unreachable(client, settings, copper):
    settings.CACHES = UNREACHABLE_CACHES
    assert "Copper and the new mines" in searched(client, "copper")[0]


def test_a_title_that_looks_like_the_passage_marker_is_escaped(client):
    article = ArticleFactory(
        published=True,
        title=f"Nickel {result_cards.PASSAGE_START} {result_cards.PASSAGE_END}",
        standfirst=f"Nickel {result_cards.PASSAGE_END} markets.",
    )
    search.refresh_search_vector(article)

    page = searched(client, "nickel")[0]

    assert "Nickel &lt;!-- passage --&gt; &lt;!-- /passage --&gt;</a>" in page
    assert "markets" in page
    assert result_cards.PASSAGE_START not in page and result_cards.PASSAGE_END not in page
