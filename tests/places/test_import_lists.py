"""Front matter lists and country spellings: nothing the writer put there is dropped or guessed."""

import pytest
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importers.parsed import split_list
from articles.importers.places import split_places
from articles.models import Article

from ..articles.importing import row_counts, run_import
from .test_import import FRONT, codes, write

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "extra, key",
    [
        ("countries: ru\ncountries: ir", "countries"),
        ("countries: ru\nCountries : ir", "Countries"),
        ("tags: Oil\nTAGS: Gas", "TAGS"),
        ("title: One\ntitle: Two", "title"),
    ],
)
@pytest.mark.parametrize("name", ["piece.md", "piece.txt"])
def test_a_key_given_twice_is_an_error_naming_it(tmp_path, extra, key, name):
    before = row_counts()

    with pytest.raises(CommandError) as error:
        run_import(write(tmp_path, extra, name=name))

    assert f"the key {key!r} is given twice" in str(error.value)
    assert row_counts() == before


def test_a_quoted_tag_keeps_its_comma_and_loses_its_quotes(tmp_path):
    run_import(write(tmp_path, 'tags: [Oil, Gas, "Sanctions, secondary"]'))

    names = sorted(Article.objects.get().tags.names())
    assert names == ["Gas", "Oil", "Sanctions, secondary"]


def test_an_unbracketed_list_reads_quoted_items_the_same_way(tmp_path):
    run_import(write(tmp_path, "tags: Oil, 'Sanctions, secondary'"))

    assert sorted(Article.objects.get().tags.names()) == ["Oil", "Sanctions, secondary"]


def test_a_quoted_title_still_loses_its_quotes(tmp_path):
    path = tmp_path / "quoted.md"
    text = FRONT.format(extra="").replace("title: Oil and", 'title: "Oil, and') + ""
    path.write_text(text.replace("Caspian\n", 'Caspian"\n', 1), encoding="utf-8")

    run_import(path)

    assert Article.objects.get().title == "Oil, and the Caspian"


@pytest.mark.parametrize(
    "extra, expected",
    [
        ('countries: [RUS, "Korea, Republic of", Türkiye]', ["KR", "RU", "TR"]),
        ("countries: 'Korea, Republic of', irn", ["IR", "KR"]),
        ("countries: UK, uk", ["GB"]),
        ("countries: [gbr, Iran]", ["GB", "IR"]),
    ],
)
def test_alpha_3_codes_iso_names_and_uk_name_countries(tmp_path, extra, expected):
    run_import(write(tmp_path, extra))

    assert codes(Article.objects.get()) == expected


def test_the_countries_option_takes_the_same_spellings(tmp_path):
    run_import(write(tmp_path), "--countries", 'RUS,"Korea, Republic of"')

    assert codes(Article.objects.get()) == ["KR", "RU"]


def test_an_unknown_three_letter_code_is_still_an_error(tmp_path):
    with pytest.raises(CommandError, match="'XYZ'"):
        run_import(write(tmp_path, "countries: [RU, XYZ]"))


# Items as an editor might write them: words, some with commas inside.
ITEM = st.text(
    alphabet=st.characters(
        categories=["L", "N", "Zs"], include_characters=",-.", exclude_characters="\"'[]"
    ),
    min_size=1,
    max_size=20,
).filter(lambda item: item.strip(" ,"))


def quoting(item, quote):
    """The quote ``item`` is written with: an item with a comma needs one."""
    return quote or ('"' if "," in item else "")


def render(items, *, brackets, quote):
    text = ", ".join(f"{quoting(item, quote)}{item}{quoting(item, quote)}" for item in items)
    return f"[{text}]" if brackets else text


def looks_like_codes(item):
    words = item.split()
    return len(words) > 1 and all(len(w) == 2 and w.isascii() and w.isalpha() for w in words)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    items=st.lists(ITEM, min_size=1, max_size=6),
    brackets=st.booleans(),
    quote=st.sampled_from(["", '"', "'"]),
)
def test_every_written_item_comes_back_whole_and_unquoted(items, brackets, quote):
    items = [item.strip() for item in items if item.strip()]
    # An unquoted item cannot hold a comma: render() quotes those.
    text = render(items, brackets=brackets, quote=quote)

    assert split_list(text) == items
    expected_places = []
    for item in items:
        unquoted = not quoting(item, quote)
        expected_places += item.split() if unquoted and looks_like_codes(item) else [item]
    assert split_places(text) == expected_places
