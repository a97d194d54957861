"""
Markdown files: an optional front matter block, then sections.

Front matter is a leading ``---`` … ``---`` block of ``key: value`` lines
(title, standfirst, author, tags, date, countries, regions, actors; other keys
are ignored). We read it ourselves rather than depend on a YAML library:
values may be quoted; ``tags`` and the places may be ``a, b`` or ``[a, b]``,
and a quoted item keeps its commas (``[a, "c, d"]`` is two tags). A key given
twice, in any case, is an error: guessing which one was meant loses the other.

Without a front matter title, the first ``# Title`` line before any section
gives it (a ``# Title`` line is dropped when the front matter has a title).
Without a front matter standfirst, the text before the first section is the
standfirst; having both is an error, because that text would be lost.
``##`` starts a section and ``###`` a subsection; a later ``#`` also starts a
section. Deeper headings, and anything inside code fences, stay in the body.
"""

import re

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..models import Article, Author, Section
from .author_block import split_private_tail
from .parsed import (
    ImportFailed,
    ParsedArticle,
    ParsedSection,
    clip,
    fit,
    split_lines,
    split_tags,
    unquote,
)
from .places import split_places
from .privacy import strip_contact

_LIST_KEYS = {"tags", "countries", "regions", "actors"}
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z][\w-]*)\s*:\s*(.*)$")
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def split_front_matter(lines, *, refuse_repeated_keys=True):
    """``({key: value}, lines after the block)``; no block gives ``({}, lines)``."""
    if not lines or lines[0].strip() != "---":
        return {}, lines
    meta, written = {}, {}
    for number, line in enumerate(lines[1:], start=2):
        stripped = line.strip()
        if stripped == "---":
            return meta, lines[number:]
        if not stripped:
            continue
        match = _FRONT_MATTER_LINE.match(stripped)
        if not match:
            raise ImportFailed(
                f"front matter line {number} is not 'key: value': {clip(stripped)!r} "
                "(is the closing --- missing?)"
            )
        key = match[1].lower()
        if key in meta and refuse_repeated_keys:
            # Which one did the writer mean? Keeping either would drop the other silently.
            raise ImportFailed(
                f"front matter line {number}: the key {match[1]!r} is given twice "
                f"(first as {written[key]!r}): keep one"
            )
        written[key] = match[1]
        # Raw: lists unquote item by item ("a", "b, c"); single values are unquoted when used.
        meta[key] = match[2].strip()
    raise ImportFailed("the front matter block opened by --- on line 1 is never closed by ---")


def has_front_matter(text):
    """True when ``text`` opens with a well-formed front matter block."""
    try:
        lines = split_lines(text)
        # A repeated key is still front matter: parse_markdown says what is wrong.
        split_front_matter(lines, refuse_repeated_keys=False)
    except ImportFailed:
        return False
    return lines[0].strip() == "---"


def parse_markdown(text):
    raw, lines = split_front_matter(split_lines(text))
    meta = {key: value if key in _LIST_KEYS else unquote(value) for key, value in raw.items()}
    lines, author_details, notes, private_values = split_private_tail(lines)
    heading_one, preamble, headings, bodies = "", [], [], []
    fence = ""
    for line in lines:
        heading = None
        if fence:
            stripped = line.strip()
            if len(stripped) >= len(fence) and set(stripped) == {fence[0]}:
                fence = ""
        elif match := _FENCE.match(line):
            fence = match[1]
        elif (match := _ATX_HEADING.match(line)) and match[2]:
            heading = (len(match[1]), match[2].strip())

        if heading and heading[0] == 1 and not headings and not heading_one:
            heading_one = heading[1]
        elif heading and heading[0] <= 3:
            headings.append((heading[1], max(heading[0], 2)))
            bodies.append([])
        else:
            (bodies[-1] if bodies else preamble).append(line)

    # "author: Piet Dorrance <piet@…>" names Piet Dorrance; the address is private.
    author_name, contact = strip_contact(meta.get("author", ""))
    private_values = [*private_values, *contact]
    title = meta.get("title") or heading_one
    if not title:
        raise ImportFailed("no title: add 'title:' to the front matter or a '# Title' line")
    standfirst = _join(preamble)
    if meta.get("standfirst"):
        if standfirst:
            raise ImportFailed(
                "the front matter has a standfirst, so the text before the first ## heading "
                "would be lost: move that text under a heading or drop 'standfirst:'"
            )
        standfirst = meta["standfirst"]
    return ParsedArticle(
        title=fit("the title", title, Article, "title"),
        standfirst=standfirst,
        sections=[
            ParsedSection(fit("a heading", heading, Section, "heading"), level, _join(body))
            for (heading, level), body in zip(headings, bodies, strict=True)
        ],
        tags=split_tags(meta.get("tags", "")),
        countries=split_places(meta.get("countries", "")),
        regions=split_places(meta.get("regions", "")),
        actors=split_places(meta.get("actors", "")),
        author_name=fit("the front matter author", author_name, Author, "name"),
        author_details=author_details,
        date=_parse_date(meta["date"]) if meta.get("date") else None,
        notes=notes,
        private_values=private_values,
    )


def _join(lines):
    """Join lines, dropping blank lines at either end but keeping indentation."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


def _parse_date(value):
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise ImportFailed(
            f"front matter date {clip(value)!r} is not a date: write YYYY-MM-DD or YYYY-MM-DD HH:MM"
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
