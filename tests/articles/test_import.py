"""The import_article command: a Markdown file or saved web-page text becomes one article."""

import datetime
import os
import string
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.importers import ImportFailed, parse
from articles.importers.markdown_text import parse_markdown
from articles.importers.plain_text import parse_plain_text
from articles.importers.privacy import looks_like_contact
from articles.models import Article, Author, Section, SocialLink

from ..factories import ArticleFactory, AuthorFactory, SocialLinkFactory
from .importing import row_counts

SAMPLES = Path(__file__).parent / "samples"
MARKDOWN_SAMPLE = SAMPLES / "undersea-cables.md"
TEXT_SAMPLE = SAMPLES / "black-sea-grain.txt"
PRIVATE_DETAILS = [
    "tomas.varga@example.org",
    "555 0142",
    "12 Example Street",
    "1984-06-09",
    "9 June 1984",
    "June 9, 1984",
]


def run_import(*args):
    out, err = StringIO(), StringIO()
    call_command("import_article", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def outline(article):
    return [(section.heading, section.level) for section in article.sections.all()]


# --- The samples ---------------------------------------------------------------


@pytest.mark.django_db
def test_markdown_sample_becomes_sections_standfirst_tags_and_author():
    out, err = run_import(MARKDOWN_SAMPLE, "--tags", "Europe, infrastructure")

    article = Article.objects.get()
    assert article.title == "Cables under the sea, power above it"
    assert article.slug == "cables-under-the-sea-power-above-it"
    assert article.standfirst.startswith("Almost all of the data that crosses an ocean")
    assert outline(article) == [
        ("A network nobody sees", 2),
        ("Landing stations", 3),
        ("Repair ships", 3),
        ("Chokepoints on the seabed", 2),
        ("What governments are doing", 2),
    ]
    landing, chokepoints, last = (article.sections.all()[n] for n in (1, 3, 4))
    assert "#### A note on the numbers" in landing.body
    assert "## this line is data, not a heading" in chokepoints.body
    assert "Name :" not in last.body and "Nordkapp" not in last.body
    assert sorted(article.tags.names()) == [
        "Baltic Sea",
        "Europe",
        "Infrastructure",
        "Undersea cables",
    ]
    assert article.status == Article.Status.DRAFT
    # The draft keeps the file's date, so publishing it later uses that date.
    assert article.published_at == datetime.datetime(2025, 3, 14, 8, 30, tzinfo=datetime.UTC)
    author = article.author
    assert (author.name, author.slug) == ("Ingrid Solberg", "ingrid-solberg")
    assert author.email == "ingrid.solberg@example.org"
    assert author.birth_date == datetime.date(1981, 3, 14)
    assert author.social_links.get().followers == 1234
    assert out.splitlines() == [
        "Created draft article: /articles/cables-under-the-sea-power-above-it/",
        "Sections: 5",
        "Author: Ingrid Solberg (new author)",
    ]
    assert err == ""


@pytest.mark.django_db
def test_text_sample_drops_the_contents_keeps_captions_once_and_nests_numbered_headings():
    run_import(TEXT_SAMPLE)

    article = Article.objects.get()
    assert article.title == "Grain, straits and leverage in the Black Sea"
    assert article.standfirst == (
        "Shipping lanes that once carried a large share of the world's wheat exports "
        "have become a bargaining chip.\n\n"
        "This piece asks who holds that chip, and what it buys them."
    )
    assert outline(article) == [
        ("1. Why the corridor mattered", 2),
        ("1.1 The ports of Odesa", 3),
        ("1.2 Insurance and risk", 3),
        ("2. Who pays when ships stop?", 2),
        ("3. What comes next", 2),
    ]
    everything = article.standfirst + "".join(s.body for s in article.sections.all())
    assert "Table of Contents" not in everything
    assert "1.1 The ports of Odesa" not in everything
    assert everything.count("Map of the grain terminals near Odesa") == 1
    assert "Name : Tomas Varga" not in everything
    odesa, insurance, who_pays = (article.sections.all()[n] for n in (1, 2, 3))
    assert "<p>Map of the grain terminals near Odesa</p>" in odesa.body_html
    assert "<li>how often drones had hit port facilities</li>" in insurance.body_html
    assert who_pays.body_html.count("<p>") == 1, "a hard-wrapped paragraph stays one paragraph"


@pytest.mark.django_db
def test_author_block_fills_the_private_fields_and_social_links():
    run_import(TEXT_SAMPLE)

    author = Author.objects.get()
    assert (author.name, author.slug) == ("Tomas Varga", "tomas-varga")
    assert author.job_title == "Senior analyst, maritime trade"
    assert author.company == "Danube Policy Institute"
    assert author.bio.startswith("Tomas writes about shipping")
    assert author.email == "tomas.varga@example.org"
    assert author.phone == "+36 1 555 0142"
    assert author.postal_address == "12 Example Street, 1051 Budapest, Hungary"
    assert author.birth_date == datetime.date(1984, 6, 9)
    links = [
        (link.platform, link.url, link.handle, link.followers, link.following)
        for link in author.social_links.all()
    ]
    assert links == [
        (
            "LinkedIn",
            "https://www.linkedin.com/in/tomas-varga-example",
            "tomas-varga-example",
            4812,
            310,
        ),
        ("Mastodon", "https://mastodon.example/@tvarga", "@tvarga", 1200, 87),
    ]


@pytest.mark.django_db
def test_private_author_details_are_stored_but_not_shown_on_public_pages(client):
    run_import(TEXT_SAMPLE, "--publish")
    article = Article.objects.get()

    for url in (article.get_absolute_url(), article.author.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Tomas Varga" in page
        assert "Danube Policy Institute" in page
        for detail in PRIVATE_DETAILS:
            assert detail not in page, f"{detail} leaked on {url}"


# --- Publishing, slugs, tags and authors ---------------------------------------------


@pytest.mark.django_db
def test_publish_uses_the_front_matter_date():
    run_import(MARKDOWN_SAMPLE, "--publish")

    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == datetime.datetime(2025, 3, 14, 8, 30, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_publish_without_a_date_publishes_now(client):
    before = timezone.now()
    run_import(TEXT_SAMPLE, "--publish")
    after = timezone.now()

    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert before <= article.published_at <= after
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_without_publish_the_article_is_a_draft_readers_cannot_see(client):
    run_import(TEXT_SAMPLE)

    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_importing_a_taken_title_makes_a_new_slug_and_never_overwrites():
    existing = ArticleFactory(slug="grain-straits-and-leverage-in-the-black-sea", title="Older")

    first, _ = run_import(TEXT_SAMPLE)
    second, _ = run_import(TEXT_SAMPLE)

    existing.refresh_from_db()
    assert existing.title == "Older"
    assert "/articles/grain-straits-and-leverage-in-the-black-sea-2/" in first
    assert "/articles/grain-straits-and-leverage-in-the-black-sea-3/" in second
    assert Article.objects.count() == 3
    assert Author.objects.filter(name="Tomas Varga").count() == 1
    assert SocialLink.objects.count() == 2


@pytest.mark.django_db
def test_reimporting_updates_the_existing_author_and_their_links():
    author = AuthorFactory(
        name="Tomas Varga", slug="tomas-varga", email="old@example.org", job_title="Analyst"
    )
    SocialLinkFactory(author=author, platform="LinkedIn", followers=10, position=0)

    out, _ = run_import(TEXT_SAMPLE)

    author.refresh_from_db()
    assert Author.objects.count() == 1
    assert author.email == "tomas.varga@example.org"
    assert author.job_title == "Senior analyst, maritime trade"
    assert [(link.platform, link.followers) for link in author.social_links.all()] == [
        ("LinkedIn", 4812),
        ("Mastodon", 1200),
    ]
    assert "Author: Tomas Varga\n" in out


@pytest.mark.django_db
def test_author_option_chooses_an_existing_author_over_the_file():
    desk = AuthorFactory(name="The desk", slug="desk")

    out, _ = run_import(TEXT_SAMPLE, "--author", "desk")

    assert Article.objects.get().author == desk
    assert not Author.objects.filter(name="Tomas Varga").exists()
    assert "'Tomas Varga' was not used" in out


@pytest.mark.django_db
def test_author_option_gives_its_slug_to_the_author_the_file_creates():
    run_import(TEXT_SAMPLE, "--author", "tvarga")

    author = Article.objects.get().author
    assert (author.slug, author.name, author.email) == (
        "tvarga",
        "Tomas Varga",
        "tomas.varga@example.org",
    )


@pytest.mark.django_db
def test_front_matter_author_finds_an_existing_author_by_slug_or_name(tmp_path):
    mara = AuthorFactory(name="Mara Lindqvist", slug="mara-lindqvist")
    by_slug = tmp_path / "a.md"
    by_slug.write_text("---\ntitle: One\nauthor: mara-lindqvist\n---\n## Part\n\nText.\n")
    by_name = tmp_path / "b.md"
    by_name.write_text("---\ntitle: Two\nauthor: MARA LINDQVIST\n---\n## Part\n\nText.\n")

    run_import(by_slug)
    run_import(by_name)

    assert Author.objects.get() == mara
    assert Article.objects.filter(author=mara).count() == 2


@pytest.mark.django_db
def test_front_matter_author_who_does_not_exist_is_created(tmp_path):
    path = tmp_path / "piece.md"
    path.write_text("---\ntitle: A piece\nauthor: Amina Diallo\ntags: Sahel, ECOWAS\n---\nText.\n")

    out, _ = run_import(path)

    article = Article.objects.get()
    assert (article.author.name, article.author.slug) == ("Amina Diallo", "amina-diallo")
    assert article.standfirst == "Text."
    assert sorted(article.tags.names()) == ["ECOWAS", "Sahel"]
    assert "Sections: 0" in out


# --- Bad input: a one-line error and nothing changed ---------------------------------


def _sample_with(path, old, new):
    text = path.read_text()
    assert old in text
    return text.replace(old, new).encode()


BAD_INPUT = [
    pytest.param("gone.md", None, [], "no such file", id="missing"),
    pytest.param("empty.txt", b"", [], "is empty", id="empty"),
    pytest.param("blank.md", b"  \n\n\t\n", [], "is empty", id="only-whitespace"),
    pytest.param("latin1.txt", "Caf\u00e9 diplomacy\n".encode("latin-1"), [], "UTF-8", id="bytes"),
    pytest.param("nul.txt", b"Title\n\x00\x01binary", [], "NUL", id="nul-bytes"),
    pytest.param(
        "untitled.md",
        b"---\nauthor: Ingrid Solberg\n---\n\n## A heading\n\nText.\n",
        [],
        "no title",
        id="no-title",
    ),
    pytest.param(
        "piece.txt",
        _sample_with(TEXT_SAMPLE, "1984-06-09", "9th of June"),
        [],
        "the author's birthdate in the author block is not a date",
        id="bad-birthdate",
    ),
    pytest.param(
        "piece.txt",
        _sample_with(TEXT_SAMPLE, "1984-06-09", "1984-02-30"),
        [],
        "the author's birthdate in the author block is not a date",
        id="impossible-birthdate",
    ),
    pytest.param(
        "piece.txt",
        _sample_with(TEXT_SAMPLE, "4,812", "lots"),
        [],
        "LinkedIn followers 'lots' is not a number",
        id="bad-followers",
    ),
    pytest.param(
        "piece.txt",
        _sample_with(TEXT_SAMPLE, "Email : tomas.varga", "Email : tomas varga at "),
        [],
        "the author's email in the author block is not an email address",
        id="bad-email",
    ),
    pytest.param(
        "piece.txt",
        _sample_with(TEXT_SAMPLE, "url : https://mastodon.example/@tvarga\n", ""),
        [],
        "the Mastodon profile has no 'url :' line",
        id="profile-without-url",
    ),
    pytest.param(
        "piece.md",
        _sample_with(MARKDOWN_SAMPLE, "2025-03-14 08:30", "next Tuesday"),
        [],
        "date 'next Tuesday' is not a date",
        id="bad-date",
    ),
    pytest.param(
        "piece.md",
        _sample_with(MARKDOWN_SAMPLE, "author: Ingrid Solberg", "author: Someone Else"),
        [],
        "front matter names the author 'Someone Else' but the author block names",
        id="conflicting-authors",
    ),
    pytest.param(
        "piece.md",
        b"---\ntitle: Unclosed\nauthor: A\n## Part\n\nText.\n",
        [],
        "front matter line 4 is not 'key: value'",
        id="unclosed-front-matter",
    ),
    pytest.param(
        "piece.md",
        b"---\ntitle: Both\nauthor: A\nstandfirst: One.\n---\nTwo.\n\n## Part\n\nText.\n",
        [],
        "text before the first ## heading would be lost",
        id="two-standfirsts",
    ),
    pytest.param(
        "piece.txt",
        b"A title\n\nSome text.\n",
        [],
        "no author: pass --author SLUG",
        id="no-author",
    ),
    pytest.param(
        "piece.txt",
        b"A title\n\nSome text.\n",
        ["--author", "nobody"],
        "no author with slug 'nobody'",
        id="unknown-author-slug",
    ),
    pytest.param(
        "piece.txt",
        _sample_with(TEXT_SAMPLE, "Name : Tomas Varga", "Name : Existing Author"),
        ["--author", "new-slug"],
        "already exists as 'existing-author'",
        id="author-slug-for-someone-who-exists",
    ),
    pytest.param(
        "piece.txt",
        b"A title\n\nSome text.\n",
        ["--author", "desk", "--tags", "ok, !!!"],
        "Tag “!!!” needs at least one letter or digit.",
        id="bad-tag",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "options", "message"), BAD_INPUT)
def test_bad_input_is_a_one_line_error_and_changes_nothing(
    tmp_path, name, content, options, message
):
    existing = AuthorFactory(
        name="Tomas Varga", slug="tomas-varga", email="old@example.org", job_title="Analyst"
    )
    AuthorFactory(name="Existing Author", slug="existing-author")
    AuthorFactory(name="The desk", slug="desk")
    ArticleFactory(author=existing, tags=["Shipping"])
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = row_counts()

    with pytest.raises(CommandError) as error:
        run_import(path, *options)

    assert message in str(error.value)
    assert "\n" not in str(error.value)
    for private in [*PRIVATE_DETAILS, "9th of June", "1984-02-30", "tomas varga at"]:
        assert private not in str(error.value), "errors never repeat a private value"
    assert error.value.returncode != 0
    assert row_counts() == before
    existing.refresh_from_db()
    assert (existing.email, existing.job_title) == ("old@example.org", "Analyst")


@pytest.mark.django_db
def test_a_failure_part_way_through_saving_rolls_everything_back(monkeypatch):
    AuthorFactory(name="Tomas Varga", slug="tomas-varga", email="old@example.org")
    before = row_counts()
    original_save = Section.save
    saved = []

    def save_then_fail(section, *args, **kwargs):
        if len(saved) == 2:
            raise RuntimeError("the database went away")
        saved.append(section)
        original_save(section, *args, **kwargs)

    monkeypatch.setattr(Section, "save", save_then_fail)

    with pytest.raises(RuntimeError):
        run_import(TEXT_SAMPLE, "--tags", "Grain")

    assert row_counts() == before
    assert Author.objects.get().email == "old@example.org"


def test_command_line_exits_non_zero_with_one_line_on_stderr(tmp_path):
    environment = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "import_article", str(tmp_path / "gone.md")],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {tmp_path / 'gone.md'}: no such file"
    ]


# --- Query count ---------------------------------------------------------------------


def _markdown_with_sections(tmp_path, count):
    path = tmp_path / f"{count}.md"
    parts = "".join(
        f"## Part {n}\n\nText {n}.\n\n### Detail {n}\n\nMore.\n\n" for n in range(count)
    )
    path.write_text(f"---\ntitle: Size {count}\nauthor: Ingrid\n---\n{parts}")
    return path


@pytest.mark.django_db
def test_import_costs_a_fixed_number_of_queries_per_section(
    tmp_path, django_assert_max_num_queries
):
    AuthorFactory(name="Ingrid", slug="ingrid")
    small, large = _markdown_with_sections(tmp_path, 1), _markdown_with_sections(tmp_path, 10)
    with CaptureQueriesContext(connection) as small_queries:
        run_import(small)

    # Each section is one save: an anchor check and an insert.
    extra_sections = 2 * (10 - 1)
    with django_assert_max_num_queries(len(small_queries) + 2 * extra_sections):
        run_import(large)


# --- Format details ------------------------------------------------------------------


def test_markdown_without_front_matter_takes_title_and_standfirst_from_the_text():
    parsed = parse(
        "# Sanctions that bite\n\nThey work slowly, if at all.\n\n## Evidence\n\nSome.\n\n"
        "# Another top heading\n\nMore.\n\n##### Deep\n\nDeeper.\n",
        filename="piece.markdown",
    )

    assert parsed.title == "Sanctions that bite"
    assert parsed.standfirst == "They work slowly, if at all."
    assert [(s.heading, s.level) for s in parsed.sections] == [
        ("Evidence", 2),
        ("Another top heading", 2),
    ]
    assert parsed.sections[1].body == "More.\n\n##### Deep\n\nDeeper."


def test_front_matter_makes_any_file_markdown_and_tags_may_be_a_list():
    parsed = parse(
        "---\ntitle: 'Quoted title'\ntags: [\"Arctic\", NATO]\n---\n## Part\n\nText.\n",
        filename="saved.txt",
    )

    assert parsed.title == "Quoted title"
    assert parsed.tags == ["Arctic", "NATO"]
    assert [s.heading for s in parsed.sections] == ["Part"]


@pytest.mark.parametrize(
    ("line", "is_heading"),
    [
        ("Who controls the straits?", True),
        ("Why ports matter", True),
        ("This line ends with a period.", False),
        ("- a bullet point", False),
        (
            "A line that is much too long to be a heading because it runs well past eighty chars",
            False,
        ),
    ],
)
def test_plain_text_heading_rules(line, is_heading):
    paragraph = "A paragraph that follows, long enough and ending with a full stop."
    parsed = parse_plain_text(f"Title\n\nIntro.\n\n{line}\n{paragraph}\n")

    assert ([s.heading for s in parsed.sections] == [line]) is is_heading


def test_a_short_line_inside_a_wrapped_paragraph_is_not_a_heading():
    parsed = parse_plain_text(
        "Title\n\nIntro.\n\nThe council met in Reykjavik, where the\n"
        "members disagreed\nabout almost everything except search and rescue.\n"
    )

    assert parsed.sections == []


# --- Open-ended input ----------------------------------------------------------------

PROSE = st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"], exclude_characters=":")
WORD = st.text(alphabet=string.ascii_letters, min_size=1, max_size=10)


def _normalised(text):
    return " ".join(text.split())


def _everything(parsed):
    parts = [parsed.title, parsed.standfirst]
    for section in parsed.sections:
        parts += [section.heading, section.body]
    return _normalised(" ".join(parts))


@hypothesis_settings(deadline=None)  # a shared CI machine makes timings meaningless
@given(st.text())
def test_parsers_never_crash(text):
    for parser in (parse_plain_text, parse_markdown):
        try:
            parser(text)
        except ImportFailed as error:
            assert "\n" not in str(error)


@hypothesis_settings(deadline=None)  # a shared CI machine makes timings meaningless
@given(st.lists(st.text(PROSE, max_size=120), min_size=1, max_size=30))
def test_plain_text_never_loses_a_line(lines):
    assume(any(line.strip() for line in lines))
    assume(
        not any(_normalised(line).casefold() in {"contents", "table of contents"} for line in lines)
    )
    # Contact-looking lines near the end are dropped on purpose (see test_import_privacy).
    assume(not any(looks_like_contact(line) for line in lines))

    everything = _everything(parse_plain_text("\n".join(lines)))

    for line in lines:
        assert _normalised(line) in everything


@hypothesis_settings(deadline=None)  # a shared CI machine makes timings meaningless
@given(st.lists(st.text(PROSE | st.sampled_from("#`~ "), max_size=80), max_size=30))
def test_markdown_never_loses_a_line(lines):
    assume(not lines or lines[0].strip() != "---")
    assume(not any(looks_like_contact(line) for line in lines))

    everything = _everything(parse_markdown("\n".join(["# Title", *lines])))

    for line in lines:
        assert _normalised(line.strip().strip("#")) in everything


_HEADING = st.tuples(
    st.sampled_from(["", "3. ", "3.1 "]),
    st.lists(WORD, min_size=1, max_size=6).map(" ".join),
    st.sampled_from(["", "?"]),
).map("".join)
_PARAGRAPH = st.lists(WORD, min_size=4, max_size=20).map(lambda words: " ".join(words) + ".")


@hypothesis_settings(deadline=None)  # a shared CI machine makes timings meaningless
@given(
    intro=_PARAGRAPH,
    sections=st.lists(
        st.tuples(_HEADING, st.lists(_PARAGRAPH, min_size=1, max_size=3)), max_size=6
    ),
    gap=st.sampled_from(["\n", "\n\n"]),
)
def test_plain_text_finds_every_heading_followed_by_a_paragraph(intro, sections, gap):
    assume(not any(heading.casefold() == "contents" for heading, _ in sections))
    text = "Title\n\n" + intro + "\n\n"
    text += "\n\n".join(heading + gap + gap.join(paragraphs) for heading, paragraphs in sections)

    parsed = parse_plain_text(text)

    assert [(s.heading, s.level) for s in parsed.sections] == [
        (heading, 3 if heading.startswith("3.1") else 2) for heading, _ in sections
    ]
    assert parsed.standfirst == intro
