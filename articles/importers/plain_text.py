"""
Plain text saved from a web page: the first line is the title.

A line is a heading when it

- has at most 80 characters, does not end with ``. , ; :`` or an ellipsis (a
  heading may ask a question) and is not a bullet;
- does not continue a wrapped sentence: the line before it is blank or ends
  with ``. ! ? :`` (so list items and hard-wrapped lines stay text);
- is followed, captions aside, by a paragraph: a line longer than 80
  characters or ending with ``. ! ?``; or, when a blank line follows the
  heading, by lines that read as such a paragraph once joined (hard-wrapped
  text, whose first line alone would look like a heading).

A heading numbered like ``2.1`` is a subsection (level 3); every other heading
is level 2. We don't guess levels from anything else: web pages lose their
heading tags when saved as text, and numbering is the one signal that
survives.

A "Table of Contents" line is dropped, with the entries after it that repeat
later lines (the site builds its own table of contents). A line repeated
straight after itself (an image caption shown twice, the title repeated as a
page heading) is kept once; unless it reads as a paragraph, it is a caption:
never a heading, and skipped when looking for the paragraph after a heading.

The paragraphs before the first heading are the standfirst. A line that ends
a sentence ends its paragraph; otherwise the next line continues it. Text is
kept as Markdown source, sanitised when rendered like any section.
"""

import re

from ..models import Article
from .author_block import split_private_tail
from .parsed import ImportFailed, ParsedArticle, ParsedSection, fit, split_lines

HEADING_MAX_CHARACTERS = 80

_CLOSING_MARKS = "\"'”’)]»"
_BULLET = re.compile(r"^[-*+•·>]\s")
_SUBSECTION_NUMBER = re.compile(r"^\d+\.\d+")
_TABLE_OF_CONTENTS = re.compile(r"^(table of )?contents:?$", re.IGNORECASE)


def parse_plain_text(text):
    lines, author_details, notes, private_values = split_private_tail(split_lines(text))
    first = next((number for number, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ImportFailed("no title: the first line of a plain-text file is its title")
    # The title joins the units so that a page heading repeating it is kept once.
    units = _units([lines[first], *_drop_tables_of_contents(lines[first + 1 :])])
    title = units.pop(0)[0]
    starts = [number for number, unit in enumerate(units) if unit and _is_heading(units, number)]
    bounds = [*starts, len(units)]
    return ParsedArticle(
        title=fit("the title (the first line)", title, Article, "title"),
        standfirst=_paragraphs(units[: bounds[0]]),
        sections=[
            ParsedSection(
                heading=units[start][0],
                level=3 if _SUBSECTION_NUMBER.match(units[start][0]) else 2,
                body=_paragraphs(units[start + 1 : end]),
            )
            for start, end in zip(bounds, bounds[1:], strict=False)
        ],
        author_details=author_details,
        notes=notes,
        private_values=private_values,
    )


def _entry_key(line):
    return " ".join(_BULLET.sub("", line.strip()).split()).casefold()


def _drop_tables_of_contents(lines):
    """Drop "Table of Contents" lines and the entries after them that repeat later lines."""
    last_seen = {_entry_key(line): number for number, line in enumerate(lines)}
    kept, number = [], 0
    while number < len(lines):
        if not _TABLE_OF_CONTENTS.match(lines[number].strip()):
            kept.append(lines[number])
            number += 1
            continue
        number += 1
        while number < len(lines) and (
            not lines[number].strip() or last_seen[_entry_key(lines[number])] > number
        ):
            number += 1
    return kept


def _units(lines):
    """Non-blank lines as ``(text, is_caption)``, blank lines as ``None``.

    A line repeated straight after itself (blank lines between) is kept once,
    and marked as a caption unless it reads as a paragraph.
    """
    units, last = [], None
    for line in lines:
        text = line.strip()
        if not text:
            units.append(None)
        elif last is not None and text.split() == units[last][0].split():
            units[last] = (units[last][0], not _is_paragraph(text))
        else:
            units.append((text, False))
            last = len(units) - 1
    return units


def _last_mark(line):
    return line.rstrip(_CLOSING_MARKS)[-1:]


def _ends_sentence(line):
    return _last_mark(line) in {".", "!", "?", "…", ":"}


def _is_paragraph(line):
    return len(line) > HEADING_MAX_CHARACTERS or _last_mark(line) in {".", "!", "?"}


def _is_heading(units, number):
    text, is_caption = units[number]
    if (
        is_caption
        or len(text) > HEADING_MAX_CHARACTERS
        or _last_mark(text) in {"", ".", ",", ";", ":", "…"}
        or _BULLET.match(text)
    ):
        return False
    before = units[number - 1] if number else None
    if before is not None and not before[1] and not _ends_sentence(before[0]):
        return False
    after = number + 1
    while after < len(units) and (units[after] is None or units[after][1]):
        after += 1
    if after == len(units):
        return False
    if _is_paragraph(units[after][0]):
        return True
    # The first line of a hard-wrapped paragraph looks like a heading too, so a
    # heading followed by wrapped lines must stand alone, a blank line after it.
    return units[number + 1] is None and _is_paragraph(_wrapped_paragraph(units, after))


def _wrapped_paragraph(units, start):
    """The lines from ``start`` up to the first that ends a sentence, joined."""
    lines = []
    for unit in units[start:]:
        if unit is None or unit[1]:
            break
        lines.append(unit[0])
        if _ends_sentence(unit[0]):
            break
    return " ".join(lines)


def _paragraphs(units):
    """Markdown source: blank lines, captions and sentence ends separate paragraphs."""
    paragraphs, previous = [], None
    for unit in units:
        continues = (
            unit is not None
            and previous is not None
            and not unit[1]
            and not previous[1]
            and not _ends_sentence(previous[0])
        )
        if continues:
            paragraphs[-1] += "\n" + unit[0]
        elif unit is not None:
            paragraphs.append(unit[0])
        previous = unit
    return "\n\n".join(paragraphs)
