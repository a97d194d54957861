"""The importer reads author boxes as real pages print them, and never publishes private data."""

import datetime
import string
from pathlib import Path

import pytest
from django.core.management import CommandError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.importers import ImportFailed, parse
from articles.models import Article, Author

from ..factories import AuthorFactory
from .importing import public_text, row_counts, run_import

SAMPLES = Path(__file__).parent / "samples"
HORMUZ = SAMPLES / "strait-of-hormuz.txt"
SAHEL = SAMPLES / "sahel-detail-author.txt"
HORMUZ_PRIVATE = [
    "samira.haddad@example.com",
    "+971 4 555 0173",
    "555 0173",
    "21 Example Road",
    "1990-02-17",
]
SAHEL_PRIVATE = ["moussa.traore@example.net", "+223 20 55 01 88", "Rue 14, Porte 22", "1979-09-30"]


def public_pages(client, article):
    urls = [
        article.get_absolute_url(),
        article.author.get_absolute_url(),
        reverse("articles:feed"),
        reverse("articles:feed-atom"),
        reverse("articles:author-feed", kwargs={"slug": article.author.slug}),
        reverse("articles:author-feed-atom", kwargs={"slug": article.author.slug}),
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


# --- Author boxes as real pages print them ------------------------------------------


@pytest.mark.django_db
def test_bulleted_author_box_under_about_the_author_creates_the_author():
    out = run_import(HORMUZ)

    article = Article.objects.get()
    author = article.author
    assert (author.name, author.slug) == ("Samira Haddad", "samira-haddad")
    assert (author.job_title, author.company) == (
        "Analyst, Gulf security",
        "Meridian Strategy Group",
    )
    assert author.email == "samira.haddad@example.com"
    assert author.phone == "+971 4 555 0173"
    assert author.postal_address == "21 Example Road, Jumeirah, Dubai, United Arab Emirates"
    assert author.birth_date == datetime.date(1990, 2, 17)
    links = [
        (link.platform, link.url, link.handle, link.followers) for link in author.social_links.all()
    ]
    assert links == [("Mastodon", "https://mastodon.example/@shaddad", "@shaddad", 2310)]
    assert [section.heading for section in article.sections.all()] == [
        "Why the strait matters",
        "The risk premium",
        "What navies can and cannot do",
    ]
    assert "Author: Samira Haddad (new author)" in out
    assert "Sections: 3" in out


@pytest.mark.django_db
def test_unknown_keys_and_empty_platforms_are_notes_not_failures():
    out = run_import(HORMUZ)

    assert "ignored 'Username'" in out
    assert "ignored 'bio' in the Mastodon profile" in out
    assert "linkedin has no profile link; skipped" in out
    assert "X has no profile link; skipped" in out
    assert "shaddad\n" not in out.replace("@shaddad", "")


@pytest.mark.django_db
def test_detail_author_heading_with_tabs_bom_and_narrow_spaces():
    out = run_import(SAHEL)

    article = Article.objects.get()
    assert article.title == "Gold, juntas and mercenaries in the Sahel"
    author = article.author
    assert (author.name, author.job_title, author.company) == (
        "Moussa Traoré",
        "Correspondent, West Africa",
        "Harmattan Review",
    )
    assert (author.email, author.phone) == ("moussa.traore@example.net", "+223 20 55 01 88")
    assert author.postal_address == "Rue 14, Porte 22, Bamako, Mali"
    assert author.birth_date == datetime.date(1979, 9, 30)
    assert author.social_links.get().followers == 1100
    assert "LinkedIn has no profile link" in out
    assert "Detail Author" not in public_text(article)


@pytest.mark.django_db
def test_key_like_lines_before_the_author_box_stay_in_the_body():
    run_import(HORMUZ)

    risk = Article.objects.get().sections.get(heading="The risk premium")
    assert risk.body.endswith("Note: the figures are from 2023.")


@pytest.mark.django_db
def test_author_box_never_lands_in_the_article(client):
    run_import(HORMUZ, "--publish")
    article = Article.objects.get()

    text = public_text(article)
    for leaked in [*HORMUZ_PRIVATE, "About the author", "Socials", "Username", "linkedin"]:
        assert leaked not in text
    for url, page in public_pages(client, article).items():
        assert "Samira Haddad" in page, url
        for detail in HORMUZ_PRIVATE:
            assert detail not in page, f"{detail} leaked on {url}"


@pytest.mark.django_db
@pytest.mark.parametrize("sample", [HORMUZ, SAHEL], ids=["about-the-author", "detail-author"])
def test_with_author_option_the_files_author_box_is_published_nowhere(client, sample):
    desk = AuthorFactory(name="The desk", slug="desk", email="", phone="")

    out = run_import(sample, "--author", "desk", "--publish")

    article = Article.objects.get()
    assert article.author == desk
    assert Author.objects.count() == 1
    private = HORMUZ_PRIVATE if sample == HORMUZ else SAHEL_PRIVATE
    text = public_text(article)
    for leaked in [*private, "Name", "Socials", "Company", "Birthdate", "Birth date"]:
        assert leaked not in text
    for url, page in public_pages(client, article).items():
        for detail in private:
            assert detail not in page, f"{detail} leaked on {url}"
    for detail in private:
        assert detail not in out, "the output never prints a private value"
    desk.refresh_from_db()
    assert (desk.email, desk.phone, desk.birth_date) == ("", "", None)


# --- Contact lines without an author block ---------------------------------------------


STRAY = """Fishing fleets and the South China Sea

Distant-water fleets follow the fish, and the fish follow the warming water.

Who patrols the shoals
Patrol boats from four countries now meet near the same reefs every season.

Tip-offs from readers helped this report.
{lines}
"""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lines", "private"),
    [
        ("reporter.lin@example.org", ["reporter.lin@example.org"]),
        ("+63 2 8555 0119", ["+63 2 8555 0119", "8555 0119"]),
        ("• Phone: (02) 8555-0119\n• E-mail: desk@example.org", ["8555-0119", "desk@example.org"]),
        ("Born: 3 May 1991\nAddress: 4 Example Lane, Manila", ["3 May 1991", "4 Example Lane"]),
    ],
    ids=["email", "phone", "labelled", "born-and-address"],
)
def test_stray_contact_lines_near_the_end_are_dropped_with_a_note(tmp_path, lines, private):
    AuthorFactory(name="The desk", slug="desk")
    path = tmp_path / "fleets.txt"
    path.write_text(STRAY.format(lines=lines))

    out = run_import(path, "--author", "desk")

    article = Article.objects.get()
    text = public_text(article)
    assert "Tip-offs from readers helped this report." in text
    for value in private:
        assert value not in text
        assert value not in out
    assert "looked like private contact details" in out


@pytest.mark.django_db
def test_an_author_block_value_repeated_in_the_body_is_removed(tmp_path):
    path = tmp_path / "piece.txt"
    later = "".join(f"Point {n}\nA paragraph that says something, point {n}.\n\n" for n in range(8))
    path.write_text(
        "Ports and power\n\nA short standfirst.\n\nThe harbour\n"
        "Call samira.haddad@example.com or +971 4 555 0173 for the data set, said the text.\n\n"
        f"{later}About the author\n- Name: Samira Haddad\n- Email: samira.haddad@example.com\n"
        "- Phone: +971 4 555 0173\n"
    )

    out = run_import(path)

    article = Article.objects.get()
    assert "samira.haddad@example.com" not in public_text(article)
    assert "555 0173" not in public_text(article)
    assert "[private detail removed]" in article.sections.get(heading="The harbour").body
    assert "Removed private contact details" in out


# --- Bad input still fails cleanly ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("Birthdate : 1990-02-17", "Birthdate : 17th of Feb", "birthdate in the author block"),
        ("https://mastodon.example/", "ftp://mastodon.example/", "Mastodon profile"),
    ],
    ids=["bad-birthdate", "profile-url-not-http"],
)
def test_bad_author_box_is_one_line_error_that_changes_nothing(tmp_path, old, new, message):
    path = tmp_path / "piece.txt"
    path.write_bytes(HORMUZ.read_bytes().replace(old.encode(), new.encode()))
    before = row_counts()

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert "17th of Feb" not in str(error.value)
    assert row_counts() == before


@pytest.mark.django_db
def test_a_bad_author_box_is_no_obstacle_when_author_option_chooses_someone_else(tmp_path):
    desk = AuthorFactory(name="The desk", slug="desk")
    path = tmp_path / "piece.txt"
    path.write_bytes(HORMUZ.read_bytes().replace(b"1990-02-17", b"17th of Feb"))

    out = run_import(path, "--author", "desk")

    assert Article.objects.get().author == desk
    assert "17th of Feb" not in out


# --- Open-ended author boxes ------------------------------------------------------------

WORD = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=9)
SPACE = st.sampled_from([" ", "", "\t", "\u00a0", "\u202f", " \u00a0"])


@st.composite
def author_boxes(draw):
    """``(file text, private values)`` for an author box in one of many printed forms."""
    email = f"{draw(WORD)}.{draw(WORD)}@example.org"
    phone = "+" + " ".join(
        draw(st.lists(st.text("0123456789", min_size=2, max_size=4), min_size=3, max_size=4))
    )
    address = f"{draw(st.integers(1, 999))} {draw(WORD).title()} Street, {draw(WORD).title()}"
    born = draw(st.dates(datetime.date(1930, 1, 1), datetime.date(2005, 12, 31)))
    born_text = draw(st.sampled_from([born.isoformat(), born.strftime("%d %B %Y")]))
    bullet = draw(st.sampled_from(["", "• ", "- ", "* ", "· ", "  - "]))

    def key(name):
        return draw(st.sampled_from([name, name.lower(), name.upper(), f"**{name}**"]))

    def line(name, value):
        return f"{bullet}{key(name)}{draw(SPACE)}:{draw(SPACE)}{value}"

    private_lines = [
        line("Email", email),
        line("Phone", phone),
        line("Address", address),
        line("Birthdate", born_text),
    ]
    public_lines = [
        line("Job", f"{draw(WORD).title()} analyst"),
        line("Company", f"{draw(WORD).title()} Institute"),
    ]
    extras = draw(
        st.lists(
            st.sampled_from(
                [
                    line("Username", draw(WORD)),
                    line("Favourite", draw(WORD)),
                    "Socials",
                    f"{bullet}linkedin:",
                    f"{bullet}X :",
                    f"{bullet}Mastodon: https://mastodon.example/@{draw(WORD)}",
                    f"{bullet}bio: {draw(WORD)}",
                ]
            ),
            max_size=4,
        )
    )
    extras += draw(st.lists(st.text(max_size=40).map(str.strip), max_size=2))
    body_lines = draw(st.permutations([*private_lines, *public_lines]))
    heading = draw(
        st.sampled_from(
            ["", "About the author", "About the Author:", "Detail Author:", "## About the author"]
        )
    )
    name_line = line("Name", "Ana Example")
    block = (
        [heading, name_line, *body_lines, *extras] if heading else [name_line, *body_lines, *extras]
    )
    if not heading and draw(st.booleans()):
        # Without a heading, private lines may come before the Name line.
        block = [*body_lines, name_line, *extras]
    text = (
        "Borders on the move\n\nA standfirst that ends with a full stop.\n\nThe frontier\n"
        "A paragraph about a frontier dispute, long enough to read as a paragraph here.\n\n"
        + "\n".join(block)
        + "\n"
    )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return text.replace("\n", newline), [email, phone, address, born_text, born.isoformat()]


@settings(max_examples=150, deadline=None)
@given(author_boxes(), st.sampled_from(["piece.txt", "piece.md"]))
def test_private_values_never_reach_a_public_field_whatever_the_box_looks_like(box, filename):
    text, private = box
    if filename.endswith(".md"):
        text = "# " + text.lstrip()
    try:
        parsed = parse(text, filename=filename)
    except ImportFailed as error:
        assert "\n" not in str(error)
        for value in private:
            assert value not in str(error)
        return

    public = [parsed.title, parsed.standfirst]
    public += [part for section in parsed.sections for part in (section.heading, section.body)]
    details = parsed.author_details
    if details:
        public += [details.name, details.job_title, details.company, details.bio]
        public += [f"{link.platform} {link.url} {link.handle}" for link in details.social_links]
    everything = "\n".join(public)
    for value in private:
        assert value not in everything
        assert " ".join(value.split()) not in " ".join(everything.split())
    for note in parsed.notes:
        for value in private:
            assert value not in note


def test_only_prose_in_an_author_box_becomes_the_bio():
    parsed = parse(
        "Ports and power\n\nA short standfirst.\n\nAbout the author\n"
        "- Name: Samira Haddad\n"
        "Samira follows shipping, insurance and sanctions in the Gulf.\n"
        "21 Example Road, Jumeirah\n",
        filename="piece.txt",
    )

    assert parsed.author_details.bio == (
        "Samira follows shipping, insurance and sanctions in the Gulf."
    )
    assert "dropped lines it could not place" in " ".join(parsed.notes)
    assert "Example Road" not in " ".join(parsed.notes)


@pytest.mark.django_db
def test_a_nameless_author_box_is_dropped_and_its_values_removed_from_the_text(tmp_path):
    AuthorFactory(name="The desk", slug="desk")
    later = "".join(f"Point {n}\nA paragraph that says something, point {n}.\n\n" for n in range(8))
    path = tmp_path / "piece.txt"
    path.write_text(
        "Ports and power\n\nA short standfirst.\n\nThe harbour\n"
        "Ask desk.lead@example.org for the data set, the text said here.\n\n"
        f"{later}About the author\n- Email: desk.lead@example.org\n- Phone: +971 4 555 0100\n"
    )

    out = run_import(path, "--author", "desk")

    article = Article.objects.get()
    assert "desk.lead@example.org" not in public_text(article)
    assert "555 0100" not in public_text(article)
    assert "About the author" not in public_text(article)
    assert "no Name line" in out


def test_a_section_about_authors_stays_in_the_article():
    parsed = parse(
        "Who wrote the treaty\n\nA standfirst.\n\nAuthors\n"
        "Role: the two delegations drafted it together over one long winter.\n",
        filename="piece.txt",
    )

    assert [(s.heading, s.body) for s in parsed.sections] == [
        ("Authors", "Role: the two delegations drafted it together over one long winter.")
    ]
    assert parsed.author_details is None
