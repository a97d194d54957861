"""A hostile tester's inputs: tags, dates, messages, names and sizes never leak private data."""

import datetime
import os

import pytest
from django.core.management import CommandError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.importers import ImportFailed, import_article, parse
from articles.importers.privacy import REDACTED
from articles.models import Article, Author, SocialLink

from ..factories import AuthorFactory
from .importing import public_text, row_counts, run_import

BODY = """The Baltic after the cables

Two cut cables in one winter changed how the region thinks about the sea floor.

Repair ships
Only a handful of ships can lift and splice a cable in winter, and they are booked for years.

What comes next
Navies now map the routes they once left to the companies that laid them.
"""

BLOCK = """
About the author
• Name : Quill Marden
• Job : Analyst
• Email : quill.m@inkpost.example
• Phone : 0113 496 0777
• Address : 14 Rookery Close, Leeds LS6 2AB
• Birthdate : {birth}
"""

PRIVATE = ["quill.m@inkpost.example", "0113 496 0777", "Rookery Close", "LS6 2AB"]


def write(tmp_path, text, name="piece.txt"):
    path = tmp_path / name
    path.write_text(text)
    return path


# --- 1. Tags -----------------------------------------------------------------------


@pytest.mark.django_db
def test_private_tags_from_front_matter_and_option_are_dropped_and_published_nowhere(
    tmp_path, client
):
    front = (
        "---\ntitle: The Baltic after the cables\nstandfirst: Cables break; ships are few.\n"
        "tags: quill.m@inkpost.example, born-1968-07-04, Baltic\n---\n"
    )
    text = front + "## Repair ships\n\nFew ships can splice a cable in winter.\n"
    path = write(tmp_path, text + BLOCK.format(birth="1968-07-04"), "piece.md")

    out = run_import(
        path, "--publish", "--tags", "0113 496 0777,rookery close,ROOKERY-CLOSE,NATO,ls6-2ab"
    )

    article = Article.objects.get()
    assert sorted(article.tags.names()) == ["Baltic", "NATO"]
    assert "Dropped 6 tags that looked like private" in out
    pages = [reverse("articles:feed"), reverse("sitemap"), article.get_absolute_url()]
    pages += [reverse("articles:tag", kwargs={"slug": slug}) for slug in ("baltic", "nato")]
    for url in pages:
        content = client.get(url).content.decode()
        for value in [*PRIVATE, "rookery", "1968-07-04", "inkpost"]:
            assert value.lower() not in content.lower(), url
    for value in [*PRIVATE, "rookery", "1968", "inkpost"]:
        assert value.lower() not in out.lower()


@pytest.mark.parametrize(
    "tag",
    ["press@desk.example", "+44 20 7946 0000", "2024-03-01", "1 March 2024", "03/01/2024"],
)
@pytest.mark.django_db
def test_tags_that_look_like_contact_data_or_dates_are_dropped_even_without_a_block(tmp_path, tag):
    AuthorFactory(slug="desk")
    path = write(tmp_path, BODY)

    out = run_import(path, "--author", "desk", "--tags", f"Energy,{tag}")

    assert list(Article.objects.get().tags.names()) == ["Energy"]
    assert tag not in out
    assert "Dropped 1 tag" in out


# --- 2. Birth dates in other renderings ----------------------------------------------


RENDERINGS = [
    "1980-11-22",
    "22 November 1980",
    "22nd November 1980",
    "November 22, 1980",
    "Nov 22nd, 1980",
    "22 Nov 1980",
    "22/11/1980",
    "11/22/1980",
    "22.11.1980",
    "22-11-1980",
    "22nd of November 1980",
]


@pytest.mark.parametrize("birth", ["1980-11-22", "22 November 1980", "November 22, 1980"])
@pytest.mark.parametrize("rendering", RENDERINGS)
def test_a_recognised_birth_date_is_removed_in_every_common_rendering(birth, rendering):
    body = BODY.replace(
        "booked for years.", f"booked for years. The author, born {rendering}, sailed on one."
    )
    parsed = parse(body + BLOCK.format(birth=birth), filename="piece.txt")

    text = "\n".join(section.body for section in parsed.sections)
    assert rendering not in text
    assert f"The author, born {REDACTED}, sailed on one." in text


def test_other_dates_in_the_body_stay():
    body = BODY.replace("booked for years.", "booked until 22 November 1981 and 23/11/1980.")
    parsed = parse(body + BLOCK.format(birth="1980-11-22"), filename="piece.txt")

    assert "22 November 1981 and 23/11/1980" in parsed.sections[0].body


@pytest.mark.django_db
def test_the_testers_birth_date_renderings_are_published_nowhere(tmp_path, client):
    body = BODY.replace(
        "booked for years.", "booked for years. Born 4 July 1968, on 04/07/1968 exactly."
    )
    path = write(tmp_path, body + BLOCK.format(birth="1968-07-04"))

    run_import(path, "--publish")

    article = Article.objects.get()
    content = client.get(article.get_absolute_url()).content.decode()
    for value in ("4 July 1968", "04/07/1968", "1968-07-04"):
        assert value not in public_text(article)
        assert value not in content
    assert str(Author.objects.get().birth_date) == "1968-07-04"


# --- 3. Error messages ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["errol.p@probe.example", "mailto:errol.p@probe.example", "tel:+44 113 496 0999"],
)
@pytest.mark.django_db
def test_error_messages_never_print_a_private_value(tmp_path, url):
    block = f"\nAbout the author\n• Name : Errol Probe\nTwitter\n• url : {url}\n"
    path = write(tmp_path, BODY + block)
    before = row_counts()

    with pytest.raises(CommandError) as error:
        run_import(path)

    message = str(error.value)
    assert "Twitter profile" in message
    for value in ("errol", "probe.example", "496", "0999"):
        assert value not in message
    assert row_counts() == before


@pytest.mark.django_db
def test_a_phone_number_in_any_failing_value_is_not_printed(tmp_path):
    block = (
        "\nAbout the author\n• Name : Errol Probe\nTwitter\n"
        "• url : https://x.example/errol\n• followers : 0113 496 0999\n"
    )

    with pytest.raises(ImportFailed) as error:
        import_article(write(tmp_path, BODY + block))

    assert "Twitter followers" in str(error.value)
    assert "496" not in str(error.value)


@pytest.mark.django_db
def test_a_file_name_with_digits_is_printed_as_typed(tmp_path):
    path = tmp_path / "cables-20241126-0930.txt"

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert str(error.value) == f"{path}: no such file"


# --- 4. Contact details in the Name, Job and Company ---------------------------------


@pytest.mark.django_db
def test_an_email_in_the_name_line_is_taken_out_and_kept_private(tmp_path, client):
    path = write(
        tmp_path,
        BODY + "\nAbout the author\n• Name : Piet Dorrance <piet.dorrance@seamail.example>\n",
    )

    out = run_import(path, "--publish")

    author = Author.objects.get()
    assert (author.name, author.slug) == ("Piet Dorrance", "piet-dorrance")
    assert author.email == "piet.dorrance@seamail.example"
    assert "seamail" not in client.get(author.get_absolute_url()).content.decode()
    assert "seamail" not in out


@pytest.mark.django_db
def test_two_people_behind_contact_details_in_the_name_are_never_merged(tmp_path):
    run_import(
        write(
            tmp_path,
            BODY + "\nAbout the author\n• Name : Piet Dorrance <piet.dorrance@seamail.example>\n",
        )
    )
    other = BODY.replace("The Baltic", "The Arctic")
    run_import(
        write(
            tmp_path,
            other + "\nAbout the author\n• Name : Ann Other <ann.other@elsewhere.example>\n",
            "b.txt",
        )
    )

    assert sorted(Author.objects.values_list("name", "email")) == [
        ("Ann Other", "ann.other@elsewhere.example"),
        ("Piet Dorrance", "piet.dorrance@seamail.example"),
    ]
    assert not Author.objects.filter(name__contains="private").exists()


@pytest.mark.django_db
def test_a_name_of_nothing_but_contact_details_fails_clearly(tmp_path):
    path = write(
        tmp_path,
        BODY + "\nAbout the author\n• Name : <piet.dorrance@seamail.example>\n• Job : Analyst\n",
    )
    before = row_counts()

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert "Name line holds only contact details" in str(error.value)
    assert "seamail" not in str(error.value)
    assert row_counts() == before


@pytest.mark.django_db
def test_a_name_holding_another_private_value_never_becomes_an_author(tmp_path):
    block = (
        "\nAbout the author\n• Name : Piet 14 Rookery Close\n• Address : 14 Rookery Close, Leeds\n"
    )
    before = row_counts()

    with pytest.raises(CommandError) as error:
        run_import(write(tmp_path, BODY + block))

    assert "name holds private contact details" in str(error.value)
    assert row_counts() == before


@pytest.mark.django_db
def test_a_phone_in_the_job_or_company_is_dropped_not_half_published(tmp_path):
    block = (
        "\nAbout the author\n• Name : Piet Dorrance\n• Job : Analyst, +44 113 496 0555\n"
        "• Company : Seamail Ltd (tel: 0113 496 0556)\n"
    )
    run_import(write(tmp_path, BODY + block))

    author = Author.objects.get()
    assert (author.job_title, author.company) == ("Analyst", "Seamail Ltd")
    assert author.phone == "+44 113 496 0555"


@pytest.mark.django_db
def test_front_matter_author_with_an_email_is_the_name_alone(tmp_path):
    text = (
        "---\ntitle: Cables\nauthor: Piet Dorrance <piet.dorrance@seamail.example>\n---\n"
        "## One\n\nText.\n"
    )
    run_import(write(tmp_path, text, "piece.md"))

    assert Author.objects.get().name == "Piet Dorrance"


# --- 5. Not too much dropped near the end ---------------------------------------------


SHORT = """Cables and the Baltic

The sea floor is crowded.

Sources
We spoke to six repair crews. Write to tips@baltic-desk.example or call +44 113 496 0123 \
with more. We read everything.
"""


@pytest.mark.django_db
def test_a_sentence_near_the_end_keeps_its_words_and_its_heading(tmp_path):
    AuthorFactory(slug="desk")

    out = run_import(write(tmp_path, SHORT), "--author", "desk")

    article = Article.objects.get()
    assert article.standfirst == "The sea floor is crowded."
    section = article.sections.get()
    assert section.heading == "Sources"
    assert section.body == (
        f"We spoke to six repair crews. Write to {REDACTED} or call {REDACTED} with more. "
        "We read everything."
    )
    assert "Replaced 2 e-mail addresses or phone numbers" in out
    assert "baltic-desk" not in out


@pytest.mark.django_db
def test_a_lone_contact_line_is_still_dropped_whole(tmp_path):
    AuthorFactory(slug="desk")
    run_import(write(tmp_path, SHORT + "\nE-mail: tips@baltic-desk.example\n"), "--author", "desk")

    assert "E-mail" not in public_text(Article.objects.get())


@pytest.mark.django_db
def test_a_bio_with_an_email_keeps_its_other_words(tmp_path):
    block = (
        "\nAbout the author\n• Name : Piet Dorrance\n"
        "Piet covers shipping from Rotterdam and answers readers at piet@seamail.example "
        "every week.\n"
    )
    run_import(write(tmp_path, BODY + block))

    bio = Author.objects.get().bio
    assert (
        bio == f"Piet covers shipping from Rotterdam and answers readers at {REDACTED} every week."
    )


@pytest.mark.django_db
def test_a_social_profile_dropped_for_private_data_gets_a_note(tmp_path):
    block = (
        "\nAbout the author\n• Name : Piet Dorrance\n• Phone : +44 113 496 0555\n"
        "Mastodon\n• url : https://social.example/@piet\n• username : 441134960555\n"
    )
    out = run_import(write(tmp_path, BODY + block))

    assert not SocialLink.objects.exists()
    assert "dropped the Mastodon profile" in out
    assert "0555" not in out


# --- 6. Files that never end ---------------------------------------------------------


@pytest.mark.django_db
def test_a_character_device_is_refused(tmp_path):
    with pytest.raises(CommandError, match="/dev/zero is not a regular file"):
        run_import("/dev/zero")


@pytest.mark.django_db
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(CommandError, match="is not a regular file"):
        run_import(fifo)


@pytest.mark.django_db
def test_a_file_over_ten_megabytes_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("Title\n\n" + "word " * 2_100_000)
    before = row_counts()

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert str(error.value) == f"{path} is larger than 10 MB"
    assert row_counts() == before


# --- Hypothesis: hostile tags and names ------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(
        ["quill.m@inkpost.example", "0113 496 0777", "01134960777", "Rookery Close", "LS6 2AB"]
    ),
    st.sampled_from(["{}", "{}!", "x-{}", "{}-x", "born {}"]),
    st.sampled_from([str, str.upper, str.lower, lambda v: v.replace(" ", "-")]),
)
def test_no_form_of_a_private_value_survives_as_a_tag(value, shape, form):
    from articles.importers.privacy import safe_tags

    tag = form(shape.format(value))
    kept, notes = safe_tags(["Baltic", tag], PRIVATE + ["14 Rookery Close, Leeds LS6 2AB"])

    assert kept == ["Baltic"]
    assert tag not in " ".join(notes)


def _renderings(day):
    month = day.strftime("%B")
    nth = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day.day, "th")
    return [
        day.isoformat(),
        f"{day.day} {month} {day.year}",
        f"{day.day}{nth} {month} {day.year}",
        f"{month} {day.day}, {day.year}",
        f"{day.day} {month[:3]} {day.year}",
        day.strftime("%d/%m/%Y"),
        day.strftime("%m/%d/%Y"),
        day.strftime("%d.%m.%Y"),
        day.strftime("%d-%m-%Y"),
        f"{day.day}/{day.month}/{day.year}",
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2010, 12, 31)),
    st.data(),
)
def test_any_birth_date_in_any_rendering_never_reaches_the_body(day, data):
    written = data.draw(st.sampled_from(_renderings(day)[:5]), label="block")
    shown = data.draw(st.sampled_from(_renderings(day)), label="body")
    body = BODY.replace("booked for years.", f"booked for years (born {shown}).")

    parsed = parse(body + BLOCK.format(birth=written), filename="piece.txt")

    assert shown not in "\n".join([parsed.standfirst, *(s.body for s in parsed.sections)])
    assert parsed.author_details.birth_date == day


@pytest.mark.django_db
@pytest.mark.parametrize("title", ["\u200b", "— — —", "\u200b\u2060 ·"])
def test_a_title_with_no_letter_or_digit_is_refused_and_nothing_is_stored(tmp_path, title):
    text = f"---\ntitle: {title}\nstandfirst: Cables break; ships are few.\n---\n"
    path = write(tmp_path, text + "## Repair ships\n\nFew ships can splice a cable.\n", "p.md")
    before = row_counts()

    with pytest.raises(CommandError) as error:
        run_import(path, "--publish")

    # A zero-width space alone is no title at all to the parser; the others name the rule.
    message = str(error.value)
    assert "no title" in message or "a title needs at least one letter or digit" in message
    assert row_counts() == before
