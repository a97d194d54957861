"""Footnotes numbered once across an article and listed under "Notes" (issue 9)."""

import importlib
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.markdown import number_notes, render_section
from tests.factories import ArticleFactory, CommentFactory, SectionFactory
from tests.html import outline

from .test_markdown import audit


class _NotesReader(HTMLParser):
    """Reads note markers (numbers in ``sup.footnote-ref``), note items, ids and links."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.markers, self.items = [], [], [], []
        self._in_marker = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.links.append(attrs["href"][1:])
        if tag == "sup" and attrs.get("class") == "footnote-ref":
            self._in_marker = True
        if tag == "li" and (attrs.get("id") or "").startswith("fn:"):
            self.items.append(attrs["id"])

    def handle_endtag(self, tag):
        if tag == "sup":
            self._in_marker = False

    def handle_data(self, data):
        if self._in_marker and data.strip():
            self.markers.append(int(data))


def read_page(sections_html, notes):
    """The article body as the template lays it out: sections, then the Notes list."""
    items = "".join(f'<li id="{note.id}">{note.html}</li>' for note in notes)
    reader = _NotesReader()
    reader.feed("".join(sections_html) + f'<ol class="notes">{items}</ol>')
    return reader


def first_appearances(numbers):
    seen = []
    for number in numbers:
        if number not in seen:
            seen.append(number)
    return seen


labels = st.sampled_from(["1", "2", "a", "src", "note-x"])


@st.composite
def section_sources(draw):
    """Markdown with some footnote references (maybe repeated, maybe dangling) and definitions."""
    cited = draw(st.lists(labels, max_size=6))
    defined = draw(st.lists(labels, max_size=5, unique=True))
    words = draw(st.lists(st.sampled_from(["Ice", "**bold**", "> quote", "- item", "`x`"])))
    paragraphs = [
        f"{word} claim[^{label}]." for word, label in zip(words + ["Text"] * 6, cited, strict=False)
    ]
    paragraphs += [f"[^{label}]: Source {label}, *page* 4." for label in defined]
    return "\n\n".join(paragraphs or ["No notes here."])


@settings(max_examples=150, deadline=None)
@given(st.lists(section_sources(), min_size=1, max_size=5))
def test_any_mix_of_footnotes_reads_one_to_n_in_reading_order(sources):
    sections_html, notes = number_notes([render_section(source) for source in sources])
    page = read_page(sections_html, notes)

    # Readers meet the numbers 1, 2, 3… in order; a repeated citation repeats its number.
    assert first_appearances(page.markers) == list(range(1, len(set(page.markers)) + 1))
    # One list for the whole article, numbered 1..n without a gap.
    assert [note.number for note in notes] == list(range(1, len(notes) + 1))
    assert page.items == [f"fn:{n}" for n in range(1, len(notes) + 1)]
    # Every marker leads to its note and every cited note back to its marker.
    assert len(page.ids) == len(set(page.ids))
    assert set(page.links) <= set(page.ids)
    for number in set(page.markers):
        assert f"fn:{number}" in page.links and f"fnref:{number}" in page.links


def test_each_section_keeps_its_notes_in_the_order_it_cites_them():
    body, notes = render_section(
        "First[^z], then[^a], again[^z].\n\n[^a]: Source A.\n[^z]: Source Z.\n[^u]: Unused."
    )

    assert re.findall(r"<!--fn:(\d+)-->", body) == ["1", "2", "1"]
    assert notes == ["<p>Source Z.</p>", "<p>Source A.</p>", "<p>Unused.</p>"]


def test_a_note_nobody_cites_is_listed_after_the_cited_ones_without_a_backlink():
    sections_html, notes = number_notes(
        [render_section("[^x]: Orphan."), render_section("Claim[^1].\n\n[^1]: Cited.")]
    )

    assert [(note.number, note.cited) for note in notes] == [(1, True), (2, False)]
    assert "Orphan." in notes[1].html and "footnote-backref" not in notes[1].html
    assert 'href="#fn:1"' in sections_html[1]


def test_markers_and_note_ids_typed_by_an_editor_are_dropped():
    body, notes = render_section(
        'Claim<!--fn:1--> <sup id="fnref:1">1</sup> <li id="fn:2">x</li>'
        ' <a class="footnote-ref" href="#fn:1">1</a>'
    )

    assert "<!--" not in body
    assert notes == []
    assert 'id="' not in body


@pytest.mark.django_db
def test_footnotes_across_two_sections_read_1_2_3_in_one_notes_list(client):
    article = ArticleFactory(published=True, slug="notes")
    SectionFactory(
        article=article,
        position=1,
        heading="Note 1",  # its anchor, note-1, must not meet a note's id
        body="Ice thins.[^a] Ports close.[^b]\n\n[^a]: Satellite record.\n[^b]: Port log.",
    )
    second = SectionFactory(
        article=article,
        position=2,
        heading="Fn",
        body="Budgets decide.[^1] As said before.[^1]\n\n[^1]: Coastguard budget, 2024.",
    )
    CommentFactory(article=article, section=second, approved=True)

    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    page = read_page([html], [])

    assert page.markers == [1, 2, 3, 3]
    assert html.count('class="notes"') == 1 and html.count(">Notes</h2>") == 1
    notes_list = html.split('id="notes-heading"')[1]
    assert notes_list.index("Satellite record.") < notes_list.index("Port log.")
    assert notes_list.index("Port log.") < notes_list.index("Coastguard budget, 2024.")
    # No section prints notes of its own.
    assert html.count("Satellite record.") == 1
    ids = outline(response).ids
    assert len(ids) == len(set(ids))
    assert set(outline(response).fragment_links) <= set(ids)


@pytest.mark.django_db
def test_search_still_finds_words_of_a_note():
    section = SectionFactory(body="Claim.[^1]\n\n[^1]: Archived in Tromsø.")

    assert "Archived in Tromsø." in section.body_text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "<script>x()</script>",
                "<img src=x onerror=alert(1)>",
                "[a](javascript:alert(1))",
                "<!--fn:1-->",
                "<svg onload=alert(1)>",
                "[^1]",
                "\n\n[^1]: ",
                "\n\n",
                "<div>",
                "text",
            ]
        )
        | st.text(max_size=12),
        max_size=12,
    )
)
def test_no_dangerous_markup_survives_in_a_section_or_its_notes(parts):
    sections_html, notes = number_notes([render_section("".join(parts))])
    found = audit("".join(sections_html) + "".join(note.html for note in notes))

    assert not found.tags & {"script", "svg", "iframe", "style"}
    for name, value in found.attributes:
        assert not name.startswith("on") and name != "style"
        assert "javascript:" not in (value or "").replace(" ", "").lower()


@pytest.mark.django_db
def test_the_migration_renders_stored_sections_with_their_notes_apart():
    from django.apps import apps

    from articles.markdown import render_markdown
    from articles.models import Section

    migration = importlib.import_module("articles.migrations.0007_section_notes")
    section = SectionFactory(body="Claim.[^1]\n\n[^1]: Old source.")
    old_html = render_markdown(section.body, id_prefix=section.anchor)
    Section.objects.filter(pk=section.pk).update(body_html=old_html, notes=[], body_text="")

    migration.render_notes_apart(apps, None)

    section.refresh_from_db()
    assert section.notes == ["<p>Old source.</p>"]
    assert "<!--fn:1-->" in section.body_html and "footnote" not in section.body_html
    assert "Old source." in section.body_text
