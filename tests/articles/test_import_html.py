"""import_article reads a web page saved from a browser: the article in, the site's chrome out."""

import datetime
import socket
from pathlib import Path

import pytest
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.importers import ImportFailed, parse
from articles.models import Article

from ..factories import AuthorFactory
from .importing import row_counts, run_import

PAGE = Path(__file__).parent / "samples" / "caspian-pipelines.html"
PRIVATE = [
    "leyla.mammadova@example.net",
    "+994 12 555 0199",
    "555 0199",
    "7 Sample Avenue",
    "1988-11-23",
]
CHROME = [
    "We use cookies",
    "Accept all",
    "Manage preferences",
    "World desk",
    "Subscribe today",
    "Share on Chirper",
    "Share by email",
    "Copy link",
    "Energy Brief",
    "weekly newsletter",
    "Sign me up",
    "Related stories",
    "Turkmen gas looks east again",
    "All rights reserved",
    "Privacy policy",
    "Contact the newsroom",
]


def article_text(article):
    parts = [article.title, article.standfirst]
    for section in article.sections.all():
        parts += [section.heading, section.body, section.body_html]
    return "\n".join(parts)


@pytest.mark.django_db
def test_saved_page_becomes_title_standfirst_and_nested_sections():
    out = run_import(PAGE)

    article = Article.objects.get()
    assert article.title == "Pipelines across the Caspian: who gains, who waits"
    assert article.standfirst.startswith("A trans-Caspian pipeline has been promised")
    assert [(s.heading, s.level) for s in article.sections.all()] == [
        ("A short sea with long arguments", 2),
        ("The convention of 2018", 3),
        ("Money and buyers", 3),
        ("Who waits, and why it matters", 2),
    ]
    convention = article.sections.get(heading="The convention of 2018")
    assert "<li>Consent of the states whose seabed sectors are crossed.</li>" in (
        convention.body_html
    )
    assert "Created draft article: /articles/pipelines-across-the-caspian-who-gains-who-waits/" in (
        out
    )
    assert "Sections: 4" in out
    assert "Author: Leyla Mammadova (new author)" in out


@pytest.mark.django_db
def test_saved_page_leaves_the_sites_chrome_out():
    run_import(PAGE)

    text = article_text(Article.objects.get())
    for chrome in CHROME:
        assert chrome not in text, f"{chrome!r} came in with the article"


@pytest.mark.django_db
def test_figure_captions_are_kept_and_the_images_noted():
    out = run_import(PAGE)

    article = Article.objects.get()
    first = article.sections.get(heading="A short sea with long arguments")
    assert (
        "<em>The proposed route between the two shores, as drawn in planning documents.</em>"
        in first.body_html
    )
    last = article.sections.get(heading="Who waits, and why it matters")
    assert "<em>A compressor station on the eastern shore, photographed in 2021.</em>" in (
        last.body_html
    )
    assert "<img" not in article_text(article)
    assert "2 figures were not imported" in out


@pytest.mark.django_db
def test_saved_page_author_box_fills_the_private_fields_and_publishes_none(client):
    out = run_import(PAGE, "--publish")

    article = Article.objects.get()
    author = article.author
    assert (author.job_title, author.company) == (
        "Research fellow, energy security",
        "Caspian Studies Centre",
    )
    assert author.email == "leyla.mammadova@example.net"
    assert author.phone == "+994 12 555 0199"
    assert author.postal_address == "7 Sample Avenue, Baku AZ1000, Azerbaijan"
    assert author.birth_date == datetime.date(1988, 11, 23)
    assert [link.platform for link in author.social_links.all()] == ["LinkedIn"]
    assert "X has no profile link; skipped" in out
    text = article_text(article)
    assert "About the author" not in text
    for url in (article.get_absolute_url(), author.get_absolute_url(), "/feed/"):
        page = client.get(url).content.decode()
        assert "Leyla Mammadova" in page
        for detail in PRIVATE:
            assert detail not in page, f"{detail} leaked on {url}"
            assert detail not in text
            assert detail not in out


@pytest.mark.django_db
def test_saved_page_with_author_option_publishes_none_of_the_author_box(tmp_path):
    desk = AuthorFactory(name="The desk", slug="desk", email="")
    path = tmp_path / "page.htm"
    path.write_bytes(PAGE.read_bytes())

    run_import(path, "--author", "desk")

    article = Article.objects.get()
    assert article.author == desk
    text = article_text(article)
    for detail in [*PRIVATE, "Caspian Studies Centre", "About the author"]:
        assert detail not in text


@pytest.mark.django_db
def test_import_makes_no_network_access(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the importer tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)

    run_import(PAGE)

    assert Article.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
        (b"<!DOCTYPE html><html><head></head><body></body></html>", "no article text"),
        ("<html><body>caf\u00e9</body></html>".encode("latin-1"), "UTF-8"),
    ],
    ids=["only-chrome", "empty-body", "not-utf8"],
)
def test_a_page_without_an_article_is_a_one_line_error_that_changes_nothing(
    tmp_path, content, message
):
    AuthorFactory(name="The desk", slug="desk")
    path = tmp_path / "page.html"
    path.write_bytes(content)
    before = row_counts()

    with pytest.raises(CommandError) as error:
        run_import(path, "--author", "desk")

    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert row_counts() == before


@pytest.mark.django_db
def test_html_import_costs_a_fixed_number_of_queries_per_section(
    tmp_path, django_assert_max_num_queries
):
    AuthorFactory(name="The desk", slug="desk")

    def page(count):
        path = tmp_path / f"{count}.html"
        parts = "".join(
            f"<h2>Part {n}</h2><p>{'A sentence that carries the argument forward. ' * 6}</p>"
            for n in range(count)
        )
        path.write_text(
            f"<html><body><article><h1>Size {count}</h1>{parts}</article></body></html>"
        )
        return path

    small, large = page(2), page(10)
    with CaptureQueriesContext(connection) as small_queries:
        run_import(small, "--author", "desk")

    # Each section is one save: an anchor check and an insert.
    with django_assert_max_num_queries(len(small_queries) + 2 * (10 - 2)):
        run_import(large, "--author", "desk")


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=60)


@settings(max_examples=40, deadline=None)
@given(
    title=_TEXT,
    paragraphs=st.lists(_TEXT, max_size=6),
    box=st.lists(_TEXT, max_size=4),
)
def test_any_page_either_parses_or_fails_with_import_failed(title, paragraphs, box):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    author = "".join(f"<li>{line}</li>" for line in box)
    page = (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}"
        f"<div class='author-box'><h3>About the author</h3><ul>{author}</ul></div>"
        "</article></body></html>"
    )
    try:
        parsed = parse(page, filename="page.html")
    except ImportFailed as error:
        assert "\n" not in str(error)
    else:
        assert parsed.title


@pytest.mark.django_db
def test_page_text_keeps_its_punctuation_and_markup_characters_stay_text(tmp_path):
    AuthorFactory(name="The desk", slug="desk")
    path = tmp_path / "page.html"
    path.write_text(
        "<!doctype html><html><body><article><h1>Oil_and *gas* in 2024</h1>"
        "<p>A standfirst with a_b and <b>bold</b> words, long enough to stay here.</p>"
        "<h2>Sanctions [and] <escapes></h2>"
        "<p># not a heading, and *not emphasis*, and <script>alert(1)</script> text "
        "that runs long enough to be a paragraph.</p></article></body></html>"
    )

    run_import(path, "--author", "desk")

    article = Article.objects.get()
    assert article.title == "Oil_and *gas* in 2024"
    assert article.standfirst.startswith("A standfirst with a_b and bold words")
    section = article.sections.get()
    assert section.heading == "Sanctions [and]"
    assert "# not a heading, and *not emphasis*" in section.body_html
    assert "<script" not in section.body_html and "alert(1)" not in section.body_html


@pytest.mark.django_db
def test_an_article_whose_class_names_its_author_is_not_taken_for_an_author_box(tmp_path):
    AuthorFactory(name="The desk", slug="desk")
    path = tmp_path / "page.html"
    paragraph = "A paragraph about river treaties that runs long enough to count as text. " * 3
    path.write_text(
        "<html><body><div class='post author-featured'><h1>Rivers and treaties</h1>"
        f"<p>{paragraph}</p><h2>Upstream</h2><p>{paragraph}</p>"
        "<div class='byline author'>By Ana Example · Contact ana@example.org</div>"
        "</div></body></html>"
    )

    out = run_import(path, "--author", "desk")

    article = Article.objects.get()
    assert [section.heading for section in article.sections.all()] == ["Upstream"]
    assert "river treaties" in article.standfirst
    assert "ana@example.org" not in article_text(article)
    assert "ana@example.org" not in out
    assert "author box has no Name line" in out


@pytest.mark.django_db
def test_an_xhtml_page_with_an_xml_declaration_and_a_stale_charset_is_read_as_utf8(tmp_path):
    AuthorFactory(name="The desk", slug="desk")
    path = tmp_path / "page.xhtml.html"
    paragraph = "Der Streit um die Wasserrechte am Oberlauf dauert schon Jahrzehnte an. " * 2
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        '<meta charset="windows-1252"><title>Wasser für Kyjiw</title></head><body><article>'
        f"<h1>Wasser für Kyjiw</h1><p>{paragraph}</p><h2>Flüsse</h2><p>{paragraph}</p>"
        "</article></body></html>",
        encoding="utf-8",
    )

    run_import(path, "--author", "desk")

    article = Article.objects.get()
    assert article.title == "Wasser für Kyjiw"
    assert [section.heading for section in article.sections.all()] == ["Flüsse"]


@pytest.mark.parametrize(
    "opening",
    ["<!DOCTYPE html>", "\ufeff  <!doctype html>", "<!-- saved from url -->\n<html lang='en'>"],
)
def test_a_saved_page_is_read_as_html_whatever_its_file_name(opening):
    paragraph = "A paragraph about grain corridors that is long enough to be the text. " * 2
    page = f"{opening}<html><body><article><h1>Grain</h1><p>{paragraph}</p></article></body></html>"

    parsed = parse(page, filename="saved-page.txt")

    assert parsed.title == "Grain"
    assert parsed.standfirst.startswith("A paragraph about grain corridors")
