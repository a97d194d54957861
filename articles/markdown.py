"""
Render editors' Markdown to HTML that is safe to serve.

Markdown is rendered once, when a section or a bio is saved, and the result is
sanitised with nh3 against an allowlist: no script, no event handlers, no
``javascript:`` URLs, no iframes. Links get ``rel="nofollow noopener"``.
Footnotes (for sources) are supported. In an article they are numbered once
across its sections and listed together under "Notes" (``render_section``,
``number_notes``); in a bio or a preview each text numbers its own, with ids
under a prefix.
"""

import html as html_lib
import re
import secrets
import xml.etree.ElementTree as etree  # noqa: S405 (builds elements, parses nothing)

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.footnotes import NBSP_PLACEHOLDER
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "li": {"id"},
    "ol": {"start"},
    "sup": {"id"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
}

EXTENSIONS = ["footnotes", "tables", "fenced_code", "sane_lists", "smarty"]

# Sections render under the page's own <h2>/<h3>, so headings typed inside a
# body start at <h4>.
_HEADING_TAG = re.compile(r"<(/?)h([1-6])([ >])")
_FOOTNOTE_ID = re.compile(r'(id="|href="#)(fn|fnref)(:)')


def _demote_headings(html, top_level=None):
    def level(typed):
        return max(typed, top_level) if top_level else min(typed + 3, 6)

    return _HEADING_TAG.sub(lambda match: f"<{match[1]}h{level(int(match[2]))}{match[3]}", html)


def render_markdown(text, *, id_prefix="", top_heading_level=None):
    """Return sanitised HTML for ``text``; ``id_prefix`` keeps footnote ids unique.

    Headings typed in the text start at <h4> (under a section's own headings),
    or at ``top_heading_level`` for a page whose only heading above is its <h1>.
    """
    if not text or not text.strip():
        return ""
    html = markdown.markdown(text, extensions=EXTENSIONS, output_format="html")
    html = _demote_headings(html, top_heading_level)
    if id_prefix:
        html = _FOOTNOTE_ID.sub(lambda m: f"{m[1]}{id_prefix}-{m[2]}{m[3]}", html)
    tags = ALLOWED_TAGS
    if top_heading_level:
        tags = ALLOWED_TAGS | {f"h{level}" for level in range(top_heading_level, 7)}
    return sanitise_html(html, id_prefix=id_prefix, tags=tags)


def _footnote_ids_only(id_prefix):
    """An nh3 attribute filter: the only ids kept are footnote ids the renderer made.

    An id typed by an editor (``<a id="comments">``) could collide with the
    page's own ids or shadow a global name a script reads (DOM clobbering).
    """
    prefix = f"{re.escape(id_prefix)}-" if id_prefix else ""
    allowed = re.compile(rf"^{prefix}fn(?:ref\d*)?:[\w-]+$")

    def keep(tag, attribute, value):
        if attribute == "id" and not allowed.match(value):
            return None
        return value

    return keep


def _no_ids(tag, attribute, value):
    return None if attribute == "id" else value


def sanitise_html(html, *, id_prefix="", footnote_ids=True, tags=ALLOWED_TAGS):
    """Strip everything outside the allowlist from ``html``.

    Without ``footnote_ids`` no id at all survives (the page adds its own).
    """
    return nh3.clean(
        html,
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel="nofollow noopener",
        strip_comments=True,
        attribute_filter=_footnote_ids_only(id_prefix) if footnote_ids else _no_ids,
    )


# --- Footnotes numbered across an article ---------------------------------------
#
# A section is rendered on save with its footnote references left as markers
# (``<!--fn:2-->``: "this section's second note") and its notes kept apart,
# in reading order. The article page numbers them once across all sections
# (``number_notes``) and lists them together under "Notes". Markers are HTML
# comments because nh3 strips every comment an editor types: any marker in
# stored HTML was put there by ``render_section``. Issue 9.

_NOTE_MARKER = re.compile(r"<!--fn:(\d+)-->")


class _NotesApart(Treeprocessor):
    """Turn footnote references into tokens and move each note out after a token of its own.

    Runs after the footnotes extension has built its list. Elements in the tree
    are Markdown's own (raw HTML is still stashed), so every footnote link met
    here is a real one. ``nonce`` makes the tokens impossible to type.
    """

    def __init__(self, md, nonce):
        super().__init__(md)
        self.nonce = nonce

    def run(self, root):
        parents = {child: parent for parent in root.iter() for child in parent}
        notes_div = next((el for el in root.iter("div") if el.get("class") == "footnote"), None)
        if notes_div is None:
            return
        parents[notes_div].remove(notes_div)
        items = {item.get("id", "").partition(":")[2]: item for item in notes_div.iter("li")}
        order = []
        for sup in list(root.iter("sup")):
            label = _footnote_label(sup)
            if label is None or label not in items:
                continue
            if label not in order:
                order.append(label)
            tail = sup.tail
            sup.clear()
            sup.tag, sup.text, sup.tail = "span", self._token("r", order.index(label) + 1), tail
        order += [label for label in items if label not in order]
        for index, label in enumerate(order, start=1):
            root.append(self._note(index, items[label]))

    def _note(self, index, item):
        note = etree.Element("div")
        marker = etree.SubElement(note, "p")
        marker.text = self._token("n", index)
        item_parents = {child: parent for parent in item.iter() for child in parent}
        for element in list(item.iter()):
            if element.tag == "a" and element.get("class") == "footnote-backref":
                item_parents[element].remove(element)
            elif element.tag == "sup" and _footnote_label(element) is not None:
                # A note that cites another note: the link would lead nowhere.
                item_parents[element].remove(element)
        for element in item.iter():
            for attribute in ("text", "tail"):
                value = getattr(element, attribute)
                if value and NBSP_PLACEHOLDER in value:
                    setattr(element, attribute, value.replace(NBSP_PLACEHOLDER, ""))
        if item.text and item.text.strip():
            paragraph = etree.SubElement(note, "p")
            paragraph.text = item.text
        note.extend(list(item))
        return note

    def _token(self, kind, index):
        return f"{self.nonce}{kind}{index}{self.nonce}"


def _footnote_label(sup):
    link = sup.find("a")
    if link is None or link.get("class") != "footnote-ref":
        return None
    return link.get("href", "").partition(":")[2]


class _NotesApartExtension(Extension):
    def __init__(self, nonce):
        super().__init__()
        self.nonce = nonce

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's name)
        # After footnotes (50), inline (20), duplicates (15) and prettify (10).
        md.treeprocessors.register(_NotesApart(md, self.nonce), "notes-apart", 5)


def render_section(text):
    """``(html, notes)`` for a section body: sanitised HTML with ``<!--fn:N-->`` markers,
    and the sanitised HTML of each note, in the order the text first cites them."""
    if not text or not text.strip():
        return "", []
    nonce = secrets.token_hex(8)
    # _NotesApart orders the notes itself: python-markdown's reordering by
    # citation (USE_DEFINITION_ORDER=False) fails on an empty definition.
    extensions = [*EXTENSIONS, _NotesApartExtension(nonce)]
    html = markdown.markdown(text, extensions=extensions, output_format="html")
    html = _demote_headings(html)
    body, *notes = re.split(rf"<div>\s*<p>{nonce}n\d+{nonce}</p>", html)
    body = sanitise_html(body, footnote_ids=False)
    body = re.sub(rf"{nonce}r(\d+){nonce}", r"<!--fn:\1-->", body)
    notes = [
        sanitise_html(note.rstrip().removesuffix("</div>").strip(), footnote_ids=False)
        for note in notes
    ]
    return body, notes


class Note:
    """One entry of an article's Notes list: ``number``, ``html`` and whether the text cites it."""

    __slots__ = ("number", "html", "cited")

    def __init__(self, number, html, cited):
        self.number, self.html, self.cited = number, html, cited

    @property
    def id(self):
        return f"fn:{self.number}"


def number_notes(sections):
    """Number the notes of ``sections`` (``(html, notes)`` pairs in reading order) once.

    Returns the sections' HTML with each marker a numbered link to its note,
    and the ``Note`` list: notes the text cites come first, 1..n in the order
    a reader meets them, notes nobody cites follow. Ids (``fn:N``,
    ``fnref:N``) hold a colon, which no section anchor or comment id can.
    """
    numbered_html, cited, uncited = [], [], []
    for html, notes in sections:
        numbers, times_cited = {}, {}

        def link(match, numbers=numbers, times_cited=times_cited, notes=notes):
            local = int(match[1])
            if not 0 < local <= len(notes):
                return ""
            if local not in numbers:
                numbers[local] = len(cited) + 1
                cited.append(Note(numbers[local], notes[local - 1], True))
            number = numbers[local]
            times_cited[local] = times_cited.get(local, 0) + 1
            again = times_cited[local] > 1
            return _note_link(
                number, f"fnref:{number}" + (f"-{times_cited[local]}" if again else "")
            )

        numbered_html.append(_NOTE_MARKER.sub(link, html))
        uncited += [note for local, note in enumerate(notes, start=1) if local not in numbers]
    everything = cited + [
        Note(number, html, False) for number, html in enumerate(uncited, start=len(cited) + 1)
    ]
    return numbered_html, [_with_backlink(note) for note in everything]


def _note_link(number, ref_id):
    return (
        f'<sup class="footnote-ref" id="{ref_id}">'
        f'<a href="#fn:{number}" role="doc-noteref">{number}</a></sup>'
    )


def _with_backlink(note):
    if note.cited:
        backlink = (
            f' <a class="footnote-backref" href="#fnref:{note.number}" role="doc-backlink"'
            f' aria-label="Back to the text of note {note.number}">↩︎</a>'
        )
        html = note.html
        inside_last_paragraph = html.endswith("</p>")
        note.html = f"{html[:-4]}{backlink}</p>" if inside_last_paragraph else f"{html}{backlink}"
    return note


def plain_text(html):
    """The words readers see in sanitised ``html``: tags dropped, entities decoded."""
    text = nh3.clean(html, tags=set(), strip_comments=True)
    return " ".join(html_lib.unescape(text).split())


def count_words(text):
    """Words in Markdown source, close enough for a reading-time estimate."""
    return len(re.findall(r"[\w’'-]+", text or ""))
