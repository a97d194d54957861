"""import_article: --countries/--regions/--actors and front matter, in any reasonable spelling."""

import pytest
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importers import ImportFailed, import_article
from articles.importers.places import split_places
from articles.models import Article

from ..articles.importing import row_counts, run_import
from ..factories import ActorFactory

pytestmark = pytest.mark.django_db

FRONT = """---
title: Oil and the Caspian
standfirst: Who moves the oil decides the alliances.
author: Ingrid Solberg
{extra}
---

## The pipelines

Text about pipelines.
"""


def write(tmp_path, extra="", name="piece.md"):
    path = tmp_path / name
    path.write_text(FRONT.format(extra=extra), encoding="utf-8")
    return path


def codes(article):
    return sorted(country.code for country in article.countries.all())


def test_the_options_set_countries_regions_and_actors(tmp_path):
    ActorFactory(name="OPEC", slug="opec")
    run_import(
        write(tmp_path), "--countries", "ru,IR", "--regions", "middle-east", "--actors", "opec"
    )
    article = Article.objects.get()
    assert codes(article) == ["IR", "RU"]
    assert [r.slug for r in article.regions.all()] == ["middle-east"]
    assert [a.slug for a in article.actors.all()] == ["opec"]


def test_front_matter_names_places_and_the_options_add_to_them(tmp_path):
    ActorFactory(name="OPEC", slug="opec")
    extra = 'countries: [RU, "ir"]\nregions: Middle East, eurasia\nactors: OPEC'
    run_import(write(tmp_path, extra), "--countries", "kz")
    article = Article.objects.get()
    assert codes(article) == ["IR", "KZ", "RU"]
    assert sorted(r.slug for r in article.regions.all()) == ["eurasia", "middle-east"]
    assert [a.name for a in article.actors.all()] == ["OPEC"]


def test_country_names_are_accepted_too(tmp_path):
    run_import(write(tmp_path, "countries: Russia, united kingdom"))
    assert codes(Article.objects.get()) == ["GB", "RU"]


@pytest.mark.parametrize(
    ("option", "value", "named"),
    [
        ("--countries", "ru,zz", "'zz'"),
        ("--countries", "Narnia", "'Narnia'"),
        ("--regions", "atlantis", "'atlantis'"),
        ("--actors", "nobody-we-know", "'nobody-we-know'"),
    ],
)
def test_an_unknown_place_is_a_clear_error_and_nothing_is_saved(tmp_path, option, value, named):
    before = row_counts()
    with pytest.raises(CommandError) as error:
        run_import(write(tmp_path), option, value, "--publish")
    assert named in str(error.value)
    assert "unknown" in str(error.value)
    assert row_counts() == before


def test_an_unknown_code_in_front_matter_saves_nothing(tmp_path):
    before = row_counts()
    with pytest.raises(CommandError, match="'xq'"):
        run_import(write(tmp_path, "countries: ru, xq"))
    assert row_counts() == before


SEEDED = ["RU", "IR", "NO", "SA", "FR", "US", "CN", "BR"]


def spelled(code, draw):
    return "".join(
        char.upper() if flip else char.lower()
        for char, flip in zip(
            code, draw(st.lists(st.booleans(), min_size=2, max_size=2)), strict=True
        )
    )


@st.composite
def written_codes(draw):
    """A set of seeded codes as an editor might write them: any case, commas or spaces, a list."""
    chosen = draw(st.lists(st.sampled_from(SEEDED), min_size=1, max_size=5, unique=True))
    tokens = [spelled(code, draw) for code in chosen]
    quoted = [draw(st.sampled_from(["{}", '"{}"', "'{}'"])).format(t) for t in tokens]
    separator = draw(st.sampled_from([",", ", ", " ,  ", " "]))
    # Codes separated by spaces alone are written unquoted.
    text = " ".join(tokens) if separator == " " else separator.join(quoted)
    if draw(st.booleans()):
        text = f"[{text}]"
    padding = draw(st.sampled_from(["", " ", "  "]))
    return padding + text + padding, sorted(chosen)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(written=written_codes())
def test_any_spelling_of_codes_gives_the_same_countries(tmp_path, written):
    text, expected = written
    assert sorted(code.upper() for code in split_places(text)) == expected
    article = import_article(write(tmp_path, f"countries: {text}"), countries=text).article
    assert codes(article) == expected


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(junk=st.text(min_size=1, max_size=30).filter(lambda s: s.strip(" ,[]'\"")))
def test_junk_is_refused_with_a_message_never_a_crash(tmp_path, junk):
    before = row_counts()
    try:
        article = import_article(write(tmp_path), countries=junk).article
    except ImportFailed as error:
        assert "unknown country" in str(error)
        assert row_counts() == before
    else:  # the junk was blank once split, or happened to name real countries
        assert article.countries.count() == len({v.casefold() for v in split_places(junk)})
