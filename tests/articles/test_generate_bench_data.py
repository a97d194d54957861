"""generate_bench_data: a reproducible data set, built in a constant number of queries."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from taggit.models import Tag

from articles.management.commands.generate_bench_data import LONG_DISCUSSION_COMMENTS
from articles.markdown import count_words, plain_text, render_section
from articles.models import Article, Author, Section, is_reserved_anchor
from comments.models import Comment

pytestmark = pytest.mark.django_db


def generate(*args):
    out = StringIO()
    call_command("generate_bench_data", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def wipe():
    Comment.objects.all().delete()
    Article.objects.all().delete()
    Author.objects.all().delete()
    Tag.objects.all().delete()


def fingerprint():
    """What a reader would see differ between two data sets: titles, slugs, headings, anchors."""
    digest = hashlib.sha256()
    for row in Article.objects.order_by("pk").values_list("title", "slug", "status"):
        digest.update(repr(row).encode())
    for row in Section.objects.order_by("pk").values_list("heading", "anchor", "level", "body"):
        digest.update(repr(row).encode())
    for row in Author.objects.order_by("pk").values_list("name", "slug", "email"):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def test_the_same_seed_builds_the_same_data_set_in_a_fresh_database():
    generate("--articles", 30, "--comments", 100, "--seed", 3)
    first = fingerprint()
    wipe()
    generate("--articles", 30, "--comments", 100, "--seed", 3)
    assert fingerprint() == first
    wipe()
    generate("--articles", 30, "--comments", 100, "--seed", 4)
    assert fingerprint() != first


def test_queries_do_not_grow_with_the_number_of_articles(django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as small:
        generate("--articles", 20, "--comments", 100)
    with django_assert_max_num_queries(len(small)):
        generate("--articles", 200, "--comments", 1000, "--append")
    assert Article.objects.count() == 220
    assert Comment.objects.count() == 1100


def test_a_generated_article_page_shows_its_sections(client):
    generate("--articles", 5, "--comments", 20, "--sections", 12)
    article = Article.objects.published().order_by("pk").first()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    sections = list(article.sections.all())
    assert len(sections) == 12
    for section in sections:
        assert f'id="{section.anchor}' in page
        assert section.heading in page
    assert article.title in page


def test_private_details_of_generated_authors_appear_on_no_public_page(client):
    generate("--articles", 40, "--comments", 50)
    authors = list(Author.objects.public())
    assert authors
    for author in authors:
        assert author.email and author.phone and author.postal_address and author.birth_date
        article = Article.objects.published().filter(author=author).first()
        for url in [author.get_absolute_url(), article.get_absolute_url(), "/", "/feed/"]:
            page = client.get(url).content.decode()
            for private in [author.email, author.phone, author.birth_date.isoformat()]:
                assert private not in page, (url, private)
            for line in author.postal_address.splitlines():
                assert line not in page, (url, line)


def test_one_article_carries_the_long_discussion_and_its_url_is_printed():
    output = generate("--articles", 10, "--comments", 2 * LONG_DISCUSSION_COMMENTS + 200)
    busiest = Article.objects.order_by("pk").first()
    assert Comment.objects.approved().filter(article=busiest).count() == LONG_DISCUSSION_COMMENTS
    assert f"Long discussion: {busiest.get_absolute_url()}" in output
    assert busiest.is_published
    statuses = set(Comment.objects.values_list("status", flat=True))
    assert statuses == {"approved", "pending", "rejected"}


def test_refuses_a_database_that_already_has_articles(published_article):
    with pytest.raises(CommandError, match="already has articles.*--append"):
        generate("--articles", 5, "--comments", 5)
    assert list(Article.objects.all()) == [published_article]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--articles", 0, "--comments", 5], "--articles must be at least 1"),
        (["--articles", 5, "--comments", -1], "--comments must be 0 or more"),
        (["--articles", 5, "--comments", 5, "--sections", 0], "--sections must be between"),
        (["--articles", 5, "--comments", 5, "--sections", 500], "--sections must be between"),
    ],
)
def test_bad_arguments_are_refused_with_a_message_and_nothing_made(args, message):
    with pytest.raises(CommandError, match=message):
        generate(*args)
    assert not Article.objects.exists()
    assert not Author.objects.exists()


def test_text_that_is_not_a_number_is_refused_with_a_message():
    with pytest.raises(CommandError, match="invalid int value"):
        generate("--articles", "many", "--comments", 5)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(min_value=0, max_value=2**32), sections=st.integers(1, 20))
def test_derived_fields_match_what_save_would_store(seed, sections):
    """Bulk rows skip save(); what they store must equal what save() derives."""
    wipe()
    generate("--articles", 3, "--comments", 10, "--seed", seed, "--sections", sections)
    for article in Article.objects.prefetch_related("sections"):
        anchors = [section.anchor for section in article.sections.all()]
        assert len(anchors) == len(set(anchors)) == sections
        assert not any(is_reserved_anchor(anchor) for anchor in anchors)
        assert article.standfirst_word_count == count_words(article.standfirst)
        for section in article.sections.all():
            assert (section.body_html, section.notes) == render_section(section.body)
            assert section.body_text == plain_text(" ".join([section.body_html, *section.notes]))
            assert section.word_count == count_words(section.heading) + count_words(section.body)
    for comment in Comment.objects.all()[:20]:
        before = comment.body_html
        comment.save()
        assert comment.body_html == before


@pytest.mark.postgres
def test_on_postgresql_new_rows_take_ids_after_the_generated_ones():
    generate("--articles", 5, "--comments", 20)
    top = Article.objects.order_by("-pk").first().pk
    article = Article.objects.create(
        title="Written after", slug="written-after", standfirst="x", author=Author.objects.first()
    )
    assert article.pk > top


@pytest.mark.postgres
def test_on_postgresql_the_planner_knows_the_search_vectors_it_generated():
    """Statistics taken before the vectors were filled said they were all NULL, and the
    planner then ranked every match of a common word: seconds a search (issue 8)."""
    generate("--articles", 30, "--comments", 10)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT null_frac, most_common_elems IS NOT NULL FROM pg_stats "
            "WHERE tablename = 'articles_article' AND attname = 'search_vector'"
        )
        null_frac, has_common_words = cursor.fetchone()

    assert null_frac == 0
    assert has_common_words
