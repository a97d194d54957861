"""A long opening paragraph becomes a standfirst of a sentence or two; the rest opens the body."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.importers import parse
from articles.importers.parsed import ParsedArticle
from articles.importers.standfirst import LONG_WORDS, shorten_standfirst, split_standfirst
from articles.models import Article

from .importing import run_import

LONG_OPENING = (
    "The U.S. Navy moved two carriers into the eastern Mediterranean on Tuesday, "
    "the largest deployment there since 2003. Officials in Washington, e.g. at the "
    "Pentagon, said the move was routine; Dr. Amal Haddad of the Beirut institute "
    "called it a signal to Tehran. Shipping insurers raised premiums by 3.5 per cent "
    "within hours. Gen. Laurent told reporters that the fleet would stay for weeks, "
    "not days, and that allies had been consulted. Few in the region believed him."
)


def words(text):
    return text.split()


@pytest.mark.django_db
def test_a_long_opening_keeps_its_first_two_sentences_and_the_rest_opens_the_body(tmp_path):
    source = tmp_path / "carriers.md"
    source.write_text(
        "---\ntitle: Carriers in the Mediterranean\nauthor: Ines Carvalho\n---\n\n"
        f"{LONG_OPENING}\n\n## The fleet\n\nTwo carriers, twelve escorts.\n"
    )

    run_import(source)
    article = Article.objects.get()
    first = article.sections.first()

    assert article.standfirst == (
        "The U.S. Navy moved two carriers into the eastern Mediterranean on Tuesday, "
        "the largest deployment there since 2003. Officials in Washington, e.g. at the "
        "Pentagon, said the move was routine; Dr. Amal Haddad of the Beirut institute "
        "called it a signal to Tehran."
    )
    assert first.body.startswith("Shipping insurers raised premiums by 3.5 per cent")
    assert first.body.endswith("Few in the region believed him.\n\nTwo carriers, twelve escorts.")
    assert "Shipping insurers" in first.body_html


def test_a_short_opening_is_kept_whole():
    text = "Two sentences. Well under the limit."
    assert split_standfirst(text) == (text, "")


def test_one_very_long_first_sentence_is_kept_whole_rather_than_cut_mid_sentence():
    sentence = " ".join(["word"] * 80) + "."
    text = f"{sentence} And then a second one."

    assert split_standfirst(text) == (sentence, "And then a second one.")


def test_with_no_section_to_take_the_rest_the_standfirst_stays_whole():
    parsed = shorten_standfirst(ParsedArticle(title="Carriers", standfirst=LONG_OPENING))

    assert parsed.standfirst == LONG_OPENING


# --- Real-looking paragraphs ----------------------------------------------------------

PLAIN_WORDS = st.sampled_from(
    [
        "power",
        "border",
        "sanctions",
        "the",
        "of",
        "in",
        "grain",
        "ports",
        "treaty",
        "navy",
        "oil",
        "pipeline",
        "talks",
        "ministers",
        "rivals",
        "alliance",
        "shipping",
        "coast",
        "war",
        "peace",
        "and",
        "to",
        "a",
        "budget",
    ]
)
# Tokens whose point ends no sentence, inside a sentence only.
INNER_TOKENS = st.sampled_from(
    [
        "U.S.",
        "U.K.",
        "e.g.",
        "i.e.",
        "Dr. Haddad",
        "Gen. Laurent",
        "J. Smith",
        "3.5",
        "1.2bn",
        "No. 10",
    ]
)
ENDINGS = st.sampled_from([".", "?", "!", '."', ".”", ".)"])


@st.composite
def sentence(draw):
    middle = draw(st.lists(st.one_of(PLAIN_WORDS, INNER_TOKENS), min_size=1, max_size=30))
    first = draw(PLAIN_WORDS).capitalize()
    last = draw(PLAIN_WORDS)
    return " ".join([first, *middle, last]) + draw(ENDINGS)


@given(st.lists(sentence(), min_size=1, max_size=12))
def test_a_split_is_at_a_real_sentence_end_and_loses_no_word(sentences):
    text = " ".join(sentences)

    standfirst, rest = split_standfirst(text)

    assert words(standfirst) + words(rest) == words(text)
    if len(words(text)) <= LONG_WORDS:
        assert (standfirst, rest) == (text, "")
        return
    one, two = sentences[0], " ".join(sentences[:2])
    if len(sentences) == 1:
        assert standfirst == text
    elif len(words(two)) <= LONG_WORDS:
        assert standfirst == two
    else:
        assert standfirst == one
    assert rest == text[len(standfirst) :].strip()


@given(
    st.lists(sentence(), min_size=1, max_size=6),
    st.lists(sentence(), min_size=1, max_size=6),
)
def test_a_blank_line_ends_a_sentence_too(first_paragraph, second_paragraph):
    text = " ".join(first_paragraph) + "\n\n" + " ".join(second_paragraph)

    standfirst, rest = split_standfirst(text)

    assert words(standfirst) + words(rest) == words(text)


@given(st.lists(sentence(), min_size=4, max_size=10))
def test_imported_standfirst_and_body_together_hold_every_word(sentences):
    opening = " ".join(sentences)
    text = (
        f"---\ntitle: A piece\nauthor: Ines Carvalho\n---\n\n{opening}\n\n## Next\n\nBody text.\n"
    )

    parsed = parse(text, filename="piece.md")

    assert words(parsed.standfirst) + words(parsed.sections[0].body) == words(
        opening + " Body text."
    )
    assert len(words(parsed.standfirst)) <= max(LONG_WORDS, len(words(sentences[0])))
