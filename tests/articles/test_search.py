"""Search: PostgreSQL full-text search (ranked, stemmed, snippets), substrings on SQLite."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles import page_cache, publishing, search, search_sql
from articles.importers import import_article
from articles.models import Article

from ..factories import ArticleFactory, AuthorFactory, SectionFactory
from .admin_forms import article_change_data

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
sqlite_only = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="the SQLite fallback; PostgreSQL has its own tests"
)


@pytest.fixture(autouse=True)
def _render_every_search(settings):
    """These tests read each response's context, which a page from the cache lacks."""
    settings.PAGE_CACHE_ENABLED = False


def results(client, q, **params):
    response = client.get(reverse("articles:search"), {"q": q, **params})
    assert response.status_code == 200
    return response


def found_titles(client, q):
    return [article.title for article in results(client, q).context["article_list"]]


def test_drafts_and_scheduled_articles_never_appear_in_results(client):
    ArticleFactory(published=True, title="Cobalt in the Congo")
    ArticleFactory(title="Cobalt draft")
    ArticleFactory(scheduled=True, title="Cobalt scheduled")
    draft_with_section = ArticleFactory(title="Quiet draft")
    SectionFactory(article=draft_with_section, body="More cobalt than anyone admits.")

    response = results(client, "cobalt")

    assert found_titles(client, "cobalt") == ["Cobalt in the Congo"]
    page = response.content.decode()
    assert "1 result for" in page
    for hidden in ["Cobalt draft", "Cobalt scheduled", "Quiet draft"]:
        assert hidden not in page


def test_an_unpublished_article_never_appears_in_results_though_it_keeps_its_date(client):
    kept = ArticleFactory(published=True, title="Cobalt in the Congo")
    withdrawn = ArticleFactory(published=True, title="Cobalt withdrawn")
    for article in (kept, withdrawn):
        search.refresh_search_vector(article)
    publishing.unpublish(withdrawn)
    withdrawn.refresh_from_db()

    assert withdrawn.published_at is not None
    response = results(client, "cobalt")
    assert [article.title for article in response.context["article_list"]] == [
        "Cobalt in the Congo"
    ]
    assert "1 result for" in response.content.decode(), "nor is it counted"


@pytest.mark.parametrize(
    "typed",
    ["ｃｏｂａｌｔ", "co\u200bbalt", "co\u00adbalt", "\u202ecobalt", "COBALT cobalt Cobalt"],
    ids=["full-width", "zero-width space", "soft hyphen", "direction override", "repeated"],
)
def test_words_typed_oddly_find_what_they_spell(client, typed):
    article = ArticleFactory(published=True, title="Cobalt in the Congo")
    search.refresh_search_vector(article)

    response = results(client, typed)

    assert [a.title for a in response.context["article_list"]] == ["Cobalt in the Congo"]
    assert "left out" not in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("chip or arctic or nile", ["chip", "or", "arctic", "or", "nile"]),
        ('"sea lanes" "sea ice"', ['"sea', 'lanes"', '"sea', 'ice"']),
        ("arctic Arctic or ARCTIC", ["arctic", "or"]),
    ],
)
def test_only_plain_words_typed_twice_are_searched_once(typed, terms):
    """A repeated "or", or a word in a second quoted phrase, is the reader's syntax: dropping
    it made "chip or arctic or nile" mean chip, or arctic and nile (a stranger's finding)."""
    assert search.search_query(typed).terms == terms


@pytest.mark.postgres
def test_each_or_is_understood(client):
    for title in ["Chip fabs", "Arctic shipping", "Nile dams"]:
        search.refresh_search_vector(ArticleFactory(published=True, title=title))

    response = results(client, "chip or arctic or nile")

    assert {a.title for a in response.context["article_list"]} == {
        "Chip fabs",
        "Arctic shipping",
        "Nile dams",
    }


def test_a_word_counts_by_its_letters_and_digits_not_its_quotes():
    assert search.search_query("'1'").is_empty
    assert search.search_query("'1' \"x\"").ignored == ["'1'", '"x"']
    assert search.search_query("'ab'").terms == ["'ab'"]


def test_every_public_field_is_searched(client):
    author = AuthorFactory(name="Ximena Oyelaran")
    article = ArticleFactory(
        published=True,
        author=author,
        title="Lithium triangle",
        standfirst="Brine ponds in the Atacama.",
        tags=["Andes"],
    )
    SectionFactory(article=article, heading="Water rights", body="Quinoa farmers object.")

    for word in ["lithium", "atacama", "andes", "water", "quinoa", "oyelaran"]:
        assert found_titles(client, word) == ["Lithium triangle"], word


def test_a_result_links_its_own_tags_only(client):
    ArticleFactory(published=True, title="Lithium triangle", tags=["Andes", "Brine"])
    ArticleFactory(published=True, title="Copper belt", tags=["Zambia"])

    page = results(client, "lithium").content.decode()

    for name, slug in [("Andes", "andes"), ("Brine", "brine")]:
        url = reverse("articles:tag", kwargs={"slug": slug})
        assert f'<a class="tag" href="{url}">{name}</a>' in page
    assert "Zambia" not in page


def test_results_escape_what_editors_typed(client):
    article = ArticleFactory(
        published=True,
        title="Sanctions <script>alert(1)</script>",
        standfirst="Sanctions & <b>tariffs</b>",
    )
    SectionFactory(article=article, body="Sanctions <img src=x onerror=alert(1)> bite.")

    page = results(client, "sanctions").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "<b>tariffs</b>" not in page
    assert escape("Sanctions <script>alert(1)</script>") in page


def test_results_are_paginated_and_keep_the_query(client):
    for n in range(settings.ARTICLES_PER_PAGE + 3):
        ArticleFactory(published=True, title=f"Fisheries dispute {n}")

    first = results(client, "fisheries")
    second = results(client, "fisheries", page=2)

    assert first.context["paginator"].count == settings.ARTICLES_PER_PAGE + 3
    assert len(first.context["article_list"]) == settings.ARTICLES_PER_PAGE
    assert len(second.context["article_list"]) == 3
    shown = {a.pk for a in first.context["article_list"]} | {
        a.pk for a in second.context["article_list"]
    }
    assert len(shown) == settings.ARTICLES_PER_PAGE + 3
    assert "?q=fisheries&amp;page=2" in first.content.decode()
    assert client.get(reverse("articles:search"), {"q": "fisheries", "page": 9}).status_code == 404


def build_matches(count, sections):
    for n in range(count):
        article = ArticleFactory(
            published=True,
            title=f"Uranium enrichment {n}",
            tags=[f"Nuclear {n}", f"Iran {n}"],
        )
        for position in range(sections):
            SectionFactory(
                article=article, position=position, body=f"Uranium centrifuges, part {position}."
            )


def test_results_page_costs_the_same_queries_for_few_or_many_matches(
    client, django_assert_max_num_queries
):
    build_matches(2, sections=1)
    with CaptureQueriesContext(connection) as small:
        results(client, "uranium")
    # PostgreSQL: BEGIN and the time limit, the page (articles.search_sql: the ranked
    # matches, their count, the page's rows with their snippets), COMMIT. SQLite: the
    # count, the rows. Both: the cards (articles.result_cards, rendered here as the
    # cache is off: rows, tags, comment counts) and the header's regions (kept per
    # page-cache generation otherwise: tests/places/test_pages.py).
    assert 0 < len(small) <= (8 if connection.vendor == "postgresql" else 6)

    build_matches(settings.ARTICLES_PER_PAGE + 5, sections=6)
    with django_assert_max_num_queries(len(small)):
        response = results(client, "uranium")

    assert len(response.context["article_list"]) == settings.ARTICLES_PER_PAGE


def test_editing_a_section_in_the_admin_changes_what_search_finds(client, admin_client):
    article = ArticleFactory(published=True, slug="grain", title="Grain corridors")
    section = SectionFactory(article=article, heading="Ports", body="Odesa ships wheat.")
    assert found_titles(client, "wheat") == ["Grain corridors"]

    data = article_change_data(article, section, body="Constanta loads barley.")
    response = admin_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 302, response.context and [
        f.formset.errors for f in response.context["inline_admin_formsets"]
    ]
    assert found_titles(client, "barley") == ["Grain corridors"]
    assert found_titles(client, "wheat") == []


def test_an_imported_article_is_found_by_its_section_text(client):
    imported = import_article(SAMPLES / "undersea-cables.md", publish=True).article

    assert found_titles(client, "landing stations") == [imported.title]
    assert found_titles(client, "harbour towns") == [imported.title]


def test_the_demo_articles_are_found(client):
    call_command("loaddemo", stdout=StringIO())
    for article in Article.objects.all():
        first_words = " ".join(article.title.split()[:2])
        assert article.title in found_titles(client, first_words), first_words


@pytest.fixture
def sea_ports(db):
    article = ArticleFactory(published=True, slug="sea-ports", title="Sea ports")
    SectionFactory(article=article, body="Ports on the sea, and the sea lanes between them.")
    return article


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    q=st.one_of(
        st.text(max_size=300),
        st.lists(
            st.sampled_from(
                [
                    '"',
                    "-",
                    "or",
                    "OR",
                    "&",
                    "|",
                    "!",
                    "(",
                    ")",
                    ":*",
                    "\\",
                    "'",
                    "<->",
                    "sea",
                    "the",
                    "a",
                    "—",
                    "\x02",
                    "\x03",
                    "%",
                    "_",
                    "*",
                    "ports",
                    "<mark>",
                ]
            ),
            max_size=30,
        ).map(" ".join),
    )
)
def test_any_query_text_gets_a_page_never_an_error(client, sea_ports, q):
    response = client.get(reverse("articles:search"), {"q": q})

    # A NUL anywhere in the address is refused as a whole (tests/test_hostile_input.py).
    assert response.status_code == (400 if "\x00" in q else 200)
    page = response.content.decode()
    assert "<mark><" not in page and "\x02" not in page and "\x03" not in page


@given(st.text(max_size=200))
def test_snippet_html_is_escaped_text_with_only_balanced_marks(text):
    html = search.highlighted(text)

    assert re.sub(r"</?mark>", "", html) == escape(text.replace("\x02", "").replace("\x03", ""))
    assert html.count("<mark>") == html.count("</mark>")
    assert "<mark><mark>" not in html and "</mark></mark>" not in html


def test_snippet_markers_become_marks():
    assert search.highlighted("A \x02sanction\x03 & <b>") == (
        "A <mark>sanction</mark> &amp; &lt;b&gt;"
    )


def test_rebuild_search_index_reports_what_it_did():
    ArticleFactory.create_batch(3, published=True)
    out = StringIO()

    call_command("rebuild_search_index", stdout=out)

    expected = "3 articles" if connection.vendor == "postgresql" else "Nothing to rebuild"
    assert expected in out.getvalue()


def test_rebuild_search_index_refuses_a_batch_size_below_one():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("rebuild_search_index", batch_size=0, stdout=StringIO())


# --- SQLite fallback ---------------------------------------------------------


@sqlite_only
def test_sqlite_matches_substrings_newest_first_without_a_vector_or_snippets(client):
    older = ArticleFactory(published=True, title="Sanctions on steel")
    newer = ArticleFactory(published=True, title="Sanctioned banks")
    Article.objects.filter(pk=older.pk).update(published_at=newer.published_at.replace(year=2020))

    response = results(client, "sanction")

    assert [a.title for a in response.context["article_list"]] == [
        "Sanctioned banks",
        "Sanctions on steel",
    ]
    assert all(a.snippet is None for a in response.context["article_list"])
    assert not Article.objects.filter(search_vector__isnull=False).exists()
    assert "card__standfirst" in response.content.decode()


# --- PostgreSQL full-text search ---------------------------------------------


@pytest.mark.postgres
def test_english_stemming_finds_other_forms_of_a_word(client):
    article = ArticleFactory(published=True, title="Export controls")
    SectionFactory(article=article, body="Each new sanction hurt the exporters.")

    assert found_titles(client, "sanctions") == ["Export controls"]
    assert found_titles(client, "exporting") == ["Export controls"]


@pytest.mark.postgres
def test_a_title_match_outranks_standfirst_heading_and_body_matches(client):
    body = ArticleFactory(published=True, title="Fourth")
    SectionFactory(article=body, heading="Other", body="Then came the drought.")
    heading = ArticleFactory(published=True, title="Third")
    SectionFactory(article=heading, heading="Drought years", body="Rain failed.")
    ArticleFactory(published=True, title="Second", standfirst="A drought, and its politics.")
    ArticleFactory(published=True, title="Drought in the Sahel")

    assert found_titles(client, "drought") == ["Drought in the Sahel", "Second", "Third", "Fourth"]


@pytest.mark.postgres
def test_snippets_mark_the_matching_words_and_escape_the_rest(client):
    article = ArticleFactory(published=True, title="Gas", standfirst="Where the gas goes.")
    SectionFactory(
        article=article,
        body="Pipelines <em>cross</em> borders & seas. Pipeline politics \x02is\x03 <b>old</b>.",
    )

    response = results(client, "pipelines")

    snippet = response.context["article_list"][0].snippet
    assert "<mark>Pipelines</mark>" in snippet and "<mark>Pipeline</mark>" in snippet
    assert "&amp; seas" in snippet
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0
    assert f'<p class="card__snippet">{snippet}</p>' in response.content.decode()


@pytest.mark.postgres
def test_passages_are_joined_by_an_ellipsis_without_stray_quotes(client):
    article = ArticleFactory(published=True, title="Ports", standfirst="Harbours of the north.")
    filler = " ".join(["shipping lanes and tariffs"] * 30)
    SectionFactory(article=article, body=f"Cobalt first. {filler} Later cobalt again. {filler}")
    search.refresh_search_vector(article)

    snippet = results(client, "cobalt").context["article_list"][0].snippet

    assert snippet.count("<mark>Cobalt</mark>") + snippet.count("<mark>cobalt</mark>") == 2
    assert " … " in snippet and "&quot;" not in snippet and '"' not in snippet


@pytest.mark.postgres
def test_a_search_of_only_common_words_says_why_nothing_matches(client):
    article = ArticleFactory(published=True, title="The state of the Arctic")
    search.refresh_search_vector(article)

    common = results(client, "the and of").content.decode()
    unknown = results(client, "zqxjv").content.decode()

    assert "made only of words too common to search for" in common
    assert "No published article matches" not in common
    assert "No published article matches “zqxjv”" in unknown
    assert "too common" not in unknown


@pytest.mark.postgres
def test_quotes_or_and_minus_work_as_readers_expect(client):
    ArticleFactory(published=True, title="Black Sea grain")
    ArticleFactory(published=True, title="Sea of black ice")
    ArticleFactory(published=True, title="Red Sea shipping")

    assert found_titles(client, '"black sea"') == ["Black Sea grain"]
    assert sorted(found_titles(client, "grain or shipping")) == [
        "Black Sea grain",
        "Red Sea shipping",
    ]
    assert sorted(found_titles(client, "sea -black")) == ["Red Sea shipping"]


@pytest.mark.postgres
def test_the_search_vector_has_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            [Article._meta.db_table, "article_search_vector_gin"],
        )
        (definition,) = cursor.fetchone()

    assert "USING gin (search_vector)" in definition


@pytest.mark.postgres
def test_a_search_uses_the_gin_index():
    author = AuthorFactory()
    Article.objects.bulk_create(
        Article(
            title=f"Report {n} on {'tungsten' if n % 500 == 0 else 'trade'}",
            slug=f"report-{n}",
            standfirst="Figures and analysis.",
            author=author,
            status=Article.Status.PUBLISHED,
            published_at="2024-01-01T00:00:00Z",
        )
        for n in range(3000)
    )
    assert search.refresh_search_vectors(Article.objects.all()) == 3000
    with connection.cursor() as cursor:
        # What autovacuum does: move the new entries from GIN's pending list into the index.
        cursor.execute("SELECT gin_clean_pending_list('article_search_vector_gin'::regclass)")
        cursor.execute("ANALYZE articles_article")
        # Few rows fit in a handful of pages, where a scan is cheaper; on a
        # large table the planner picks the index by itself (bench/search_plan.py).
        cursor.execute("SET LOCAL enable_seqscan = off")

    matches = Article.objects.published().searched(["tungsten"])
    paginator = search.SearchPaginator(matches, settings.ARTICLES_PER_PAGE, terms=["tungsten"])
    sql, params = search_sql.page_query(**paginator.page_arguments(1))  # what a page runs
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "article_search_vector_gin" in plan
    assert paginator.count == 6


@pytest.mark.postgres
def test_rebuild_search_index_fills_vectors_written_without_one(client):
    article = ArticleFactory(published=True, title="Rare earths")
    Article.objects.update(search_vector=None)
    assert found_titles(client, "rare earths") == []

    call_command("rebuild_search_index", stdout=StringIO())

    assert found_titles(client, "rare earths") == [article.title]


def test_a_very_common_word_pages_through_the_first_matches_and_says_there_are_more(
    client, monkeypatch
):
    monkeypatch.setattr(search.SearchPaginator, "COUNT_LIMIT", 12)
    for n in range(15):
        ArticleFactory(published=True, title=f"Trade report {n}")

    first = results(client, "trade")
    last = results(client, "trade", page=2)

    assert "More than 12 results" in first.content.decode()
    assert first.context["paginator"].num_pages == 2
    assert len(last.context["article_list"]) == 12 - settings.ARTICLES_PER_PAGE
    assert client.get(reverse("articles:search"), {"q": "trade", "page": 3}).status_code == 404


@pytest.mark.postgres
def test_pages_list_short_text_matches_by_rank_then_body_matches_newest_first(client):
    per_page = settings.ARTICLES_PER_PAGE
    in_titles = [
        ArticleFactory(published=True, title=f"Copper belt {n}") for n in range(per_page + 2)
    ]
    in_bodies = []
    for n in range(3):
        article = ArticleFactory(published=True, title=f"Mining {n}")
        SectionFactory(article=article, body="Smelters need copper ore.")
        in_bodies.append(article)
    Article.objects.filter(pk=in_bodies[2].pk).update(
        published_at=in_bodies[2].published_at.replace(year=2020)
    )

    first = results(client, "copper").context["article_list"]
    second = results(client, "copper", page=2).context["article_list"]

    assert {a.pk for a in first} | {a.pk for a in second[:2]} == {a.pk for a in in_titles}
    assert [a.title for a in second[2:]] == ["Mining 1", "Mining 0", "Mining 2"]


@pytest.mark.postgres
def test_rebuild_search_index_can_recreate_the_indexes(client):
    article = ArticleFactory(published=True, title="Helium reserves")
    Article.objects.update(search_vector=None, rank_vector=None)
    with connection.cursor() as cursor:
        # The test's own transaction holds deferred foreign-key checks, which
        # CREATE INDEX refuses to run beside; a real run has none pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    call_command("rebuild_search_index", recreate_indexes=True, stdout=StringIO())

    assert found_titles(client, "helium") == [article.title]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [Article._meta.db_table, "%USING gin%"],
        )
        assert {row[0] for row in cursor.fetchall()} == {
            "article_search_vector_gin",
            "article_rank_vector_gin",
        }


@pytest.mark.postgres
def test_a_common_word_ranks_the_newest_matches_only_best_first(client, monkeypatch):
    """Ranking every match of a common word took seconds on 100,000 articles (issue 8)."""
    monkeypatch.setattr(search.SearchPaginator, "COUNT_LIMIT", 12)
    newest = []
    for n in range(14):
        article = ArticleFactory(published=True, title=f"Harbour dues {n}")
        SectionFactory(article=article, body="Cobalt moves through the port.")
        newest.append(article)
    ArticleFactory(published=True, title="Cobalt and the harbour")
    old_in_title = ArticleFactory(published=True, title="Cobalt before the boom")
    Article.objects.filter(pk=old_in_title.pk).update(
        published_at=old_in_title.published_at.replace(year=2019)
    )

    first = results(client, "cobalt")
    titles = [a.title for a in first.context["article_list"]]

    assert "More than 12 results" in first.content.decode()
    assert titles[0] == "Cobalt and the harbour", "a title match ranks first"
    assert titles[1:] == [a.title for a in reversed(newest)][: len(titles) - 1]
    every_page = titles + [
        a.title for a in results(client, "cobalt", page=2).context["article_list"]
    ]
    assert len(every_page) == 12
    assert "Cobalt before the boom" not in every_page, "older than the newest 12 matches"


def test_a_repeated_search_costs_the_database_twice_until_the_content_changes(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    build_matches(settings.ARTICLES_PER_PAGE + 3, sections=2)

    def page_and_statements(q, **params):
        statements = []

        def record(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            page = results(client, q, **params).content.decode()
        return page, statements

    first, ranked = page_and_statements("uranium")
    second, ranked_again = page_and_statements("uranium")  # asked twice: now it is kept
    third, none = page_and_statements("uranium")
    other_page, read = page_and_statements("uranium", page=2)

    assert "Uranium enrichment" in first and second == first and third == first
    assert any("articles_article" in sql for sql in ranked)
    assert any("articles_article" in sql for sql in ranked_again), "one-off searches not kept"
    assert not any("articles_article" in sql for sql in none), "the third is not searched"
    assert any("articles_article" in sql for sql in read), "another page is its own search"
    assert "Uranium, the newest word" not in first

    newest = ArticleFactory(published=True, title="Uranium, the newest word")
    search.refresh_search_vector(newest)
    page_cache.content_changed()  # as publishing does

    assert "Uranium, the newest word" in page_and_statements("uranium")[0]
    assert "Uranium, the newest word" in page_and_statements("uranium")[0]


def test_result_pages_never_read_the_search_vectors_themselves(client):
    """Kilobytes of text per article that no page shows: they made ten results cost 30 ms."""
    build_matches(3, sections=2)
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert len(found_titles(client, "uranium")) == 3
        assert client.get("/").status_code == 200

    selected = [sql.split(" FROM ")[0] for sql in statements if sql.startswith("SELECT")]
    assert len(selected) >= 3
    assert not any("search_vector" in columns or "rank_vector" in columns for columns in selected)


@pytest.mark.postgres
@pytest.mark.parametrize("column", ["search_vector", "rank_vector"])
def test_search_vectors_are_kept_in_the_row(column):
    """A search tests each of the newest articles' vectors and ranks them: out of line
    (TOAST), each was a fetch from another table, and a common word cost up to 70 ms
    to find and 9 ms more to rank (issue 8)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s",
            [Article._meta.db_table, column],
        )
        assert cursor.fetchone()[0] == "m"


@pytest.mark.postgres
def test_a_match_only_far_into_a_long_text_shows_the_standfirst(client):
    """Snippets come from the opening of the text (search.SNIPPET_SOURCE_CHARS): a passage
    with nothing marked would tell the reader less than the standfirst does."""
    early = ArticleFactory(published=True, title="Short", standfirst="Metals, briefly.")
    SectionFactory(article=early, body="Zinc smelters close first.")
    late = ArticleFactory(published=True, title="Long", standfirst="What the long read argues.")
    filler = "Words about the weather and the harvest. " * 100
    SectionFactory(article=late, body=f"{filler}\n\nZinc smelters close last.")

    response = results(client, "zinc")

    snippets = {a.title: a.snippet for a in response.context["article_list"]}
    assert "<mark>Zinc</mark>" in snippets["Short"]
    assert snippets["Long"] is None
    assert '<p class="card__standfirst">What the long read argues.</p>' in response.content.decode()


@pytest.mark.postgres
def test_a_long_standfirst_still_leaves_the_opening_of_the_text_its_passages(client):
    standfirst = "What the long lede argues about the weather. " * 70  # about 3,000 characters
    article = ArticleFactory(published=True, title="Lede", standfirst=standfirst)
    SectionFactory(article=article, body="Early in the text the blobfish appears.")
    search.refresh_search_vector(article)

    snippet = results(client, "blobfish").context["article_list"][0].snippet

    assert snippet is not None and "<mark>blobfish</mark>" in snippet


@pytest.mark.postgres
def test_the_newest_matches_are_found_whichever_period_they_are_in(client, monkeypatch):
    """The newest matches are looked for period by period (SearchPaginator.PERIODS):
    whatever the periods, a page lists the newest matches, newest first on equal rank."""
    for days in [2000, 500, 200, 40, 2]:  # one in each period, the oldest made first
        article = ArticleFactory(published=True, title=f"Bauxite {days}")
        published_at = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
        Article.objects.filter(pk=article.pk).update(published_at=published_at)
    newest_first = ["Bauxite 2", "Bauxite 40", "Bauxite 200", "Bauxite 500", "Bauxite 2000"]

    assert found_titles(client, "bauxite") == newest_first

    monkeypatch.setattr(search.SearchPaginator, "COUNT_LIMIT", 4)
    response = results(client, "bauxite")
    assert [a.title for a in response.context["article_list"]] == newest_first[:4]
    assert "More than 4 results" in response.content.decode()
