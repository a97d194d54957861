"""What the parsers produce, the error they raise, and small helpers they share."""

import datetime
from dataclasses import dataclass, field


class ImportFailed(Exception):
    """The file cannot become an article; the message is one line for the editor."""


@dataclass
class ParsedSection:
    heading: str
    level: int
    body: str


@dataclass
class SocialProfile:
    platform: str
    url: str
    handle: str = ""
    followers: int | None = None
    following: int | None = None


@dataclass
class AuthorDetails:
    name: str
    job_title: str = ""
    company: str = ""
    bio: str = ""
    email: str = ""
    phone: str = ""
    postal_address: str = ""
    birth_date: datetime.date | None = None
    social_links: list[SocialProfile] = field(default_factory=list)
    # Why the block cannot be saved; raised only if the import uses the block.
    problem: str = ""
    # The raw text of every private value the block gave, valid or not.
    private_values: list[str] = field(default_factory=list)


@dataclass
class ParsedArticle:
    title: str
    standfirst: str = ""
    sections: list[ParsedSection] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # What the article is about, as written (codes, slugs or names): importers/places.py.
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    author_name: str = ""
    author_details: AuthorDetails | None = None
    date: datetime.datetime | None = None
    # Lines for the editor: what was skipped or dropped, never a private value.
    notes: list[str] = field(default_factory=list)
    # Text recognised as private contact data: it must appear in no public field.
    private_values: list[str] = field(default_factory=list)


# Zero-width spaces and byte-order marks vanish; non-breaking spaces become spaces.
# Zero-width (non-)joiners stay: Persian and Indic scripts need them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007"), " ")


def normalise_spaces(text):
    """``text`` without zero-width spaces and BOMs, its non-breaking spaces made plain."""
    return text.translate(_INVISIBLE).translate(_SPACES)


def split_lines(text):
    """Lines of ``text`` whatever its line endings; NUL characters mean it is not text."""
    if "\x00" in text:
        raise ImportFailed("the file contains NUL characters: it is not text")
    text = normalise_spaces(text)
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def clip(text, limit=60):
    """``text`` shortened for an error message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fit(label, value, model, field_name):
    """``value``, or ``ImportFailed`` when it is too long for ``model.field_name``."""
    limit = model._meta.get_field(field_name).max_length
    if limit is not None and len(value) > limit:
        raise ImportFailed(f"{label} is longer than {limit} characters: {clip(value)!r}")
    return value


def unquote(value):
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def split_list(value):
    """Items of ``a, b``, ``[a, b]`` or ``[a, "b, c"]``: see ``list_items``."""
    return [text for text, _quoted in list_items(value)]


def list_items(value):
    """``(text, quoted)`` for each item of a comma-separated list, brackets optional.

    An item that opens with a quote runs to the matching quote and keeps any
    commas inside it (``"Korea, Republic of"``); the quotes go. An unclosed
    quote runs to the end. Empty items are dropped.
    """
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    items, position, length = [], 0, len(value)
    while position < length:
        while position < length and value[position].isspace():
            position += 1
        if position < length and value[position] in "\"'":
            closing = value.find(value[position], position + 1)
            end = length if closing == -1 else closing
            text = value[position + 1 : end]
            comma = value.find(",", end)
            rest = value[end + 1 : length if comma == -1 else comma] if closing != -1 else ""
            text, quoted = f"{text}{rest.rstrip()}" if rest.strip() else text, True
        else:
            comma = value.find(",", position)
            text, quoted = value[position : length if comma == -1 else comma], False
        if text.strip():
            items.append((text.strip(), quoted))
        position = length if comma == -1 else comma + 1
    return items


def split_tags(value):
    """Tag names from ``a, b``, ``[a, b]`` or ``[a, "b, c"]`` (``list_items``)."""
    return split_list(value)
