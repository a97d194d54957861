"""
What changed between two revisions of an article, for the admin's compare page.

Texts are compared line by line, then word by word inside the lines that
changed, so that a changed sentence shows its removed and added words. The
result is plain data (``Chunk``: equal, insert or delete, with its text):
the template escapes every piece as it marks it up, so nothing here is HTML.
Sections and figures are matched by id, so a section that was edited and
moved is one changed section, not one removed and one added.
"""

import difflib
import re
from dataclasses import dataclass, field

from places.models import Actor, Country, Region

from .models import Author, Section

# Beyond this many words on either side of a changed passage, it is shown as
# removed and added whole: word matching costs the product of the two lengths.
MAX_WORDS_COMPARED = 3000

_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Chunk:
    kind: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class FieldChange:
    label: str
    chunks: list

    @property
    def changed(self):
        return any(chunk.kind != "equal" for chunk in self.chunks)


@dataclass(frozen=True)
class SectionChange:
    status: str  # "added", "removed", "changed", "moved" or "unchanged"
    heading: str
    fields: list = field(default_factory=list)  # FieldChange, only those that changed


@dataclass(frozen=True)
class RevisionDiff:
    fields: list  # FieldChange for the article's own fields and its tags
    sections: list  # SectionChange in the newer revision's order, removed ones where they were
    figures: list  # SectionChange-like entries for figures

    @property
    def changed(self):
        return any(f.changed for f in self.fields) or any(
            entry.status != "unchanged" for entry in self.sections + self.figures
        )


def text_diff(old, new):
    """``old`` to ``new`` as a list of ``Chunk``: lines first, then words inside changed lines."""
    old_lines, new_lines = (old or "").splitlines(True), (new or "").splitlines(True)
    chunks = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if op == "equal":
            chunks.append(Chunk("equal", before))
        elif op == "replace":
            chunks.extend(_word_diff(before, after))
        else:
            chunks.extend(_whole(before, after))
    return _merged(chunks)


def _word_diff(old, new):
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    if max(len(old_words), len(new_words)) > MAX_WORDS_COMPARED:
        return _whole(old, new)
    chunks = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_words[i1:i2]), "".join(new_words[j1:j2])
        chunks.extend([Chunk("equal", before)] if op == "equal" else _whole(before, after))
    return chunks


def _whole(old, new):
    return [chunk for chunk in (Chunk("delete", old), Chunk("insert", new)) if chunk.text]


def _merged(chunks):
    merged = []
    for chunk in chunks:
        if not chunk.text:
            continue
        if merged and merged[-1].kind == chunk.kind:
            merged[-1] = Chunk(chunk.kind, merged[-1].text + chunk.text)
        else:
            merged.append(chunk)
    return merged


def list_diff(old, new):
    """Two lists of names as chunks, comma-separated: kept, removed and added names."""
    old_set, new_set = set(old), set(new)
    names = list(old) + [name for name in new if name not in old_set]
    chunks = []
    for name in sorted(names, key=str.casefold):
        if chunks:
            chunks.append(Chunk("equal", ", "))
        if name not in old_set:
            kind = "insert"
        elif name not in new_set:
            kind = "delete"
        else:
            kind = "equal"
        chunks.append(Chunk(kind, name))
    return _merged(chunks)


# What the article is about: ids in the article's own row (a query each, if listed).
_PLACES = (
    ("Countries", "countries", Country),
    ("Regions", "regions", Region),
    ("Actors", "actors", Actor),
)


def _place_changes(older, newer):
    """A ``FieldChange`` per kind of place, by current name (a deleted one by its id)."""
    changes = []
    for label, name, model in _PLACES:
        old, new = older.article.get(name) or [], newer.article.get(name) or []
        if not old and not new:
            continue
        found = model.objects.in_bulk([*old, *new])
        kind = model._meta.verbose_name.capitalize()  # "Country", not "Countrie"

        def names(ids, found=found, kind=kind):
            return [str(found[pk]) if pk in found else f"{kind} #{pk} (deleted)" for pk in ids]

        changes.append(FieldChange(label, list_diff(names(old), names(new))))
    return changes


def compare(older, newer):
    """The ``RevisionDiff`` from snapshot ``older`` to ``newer`` (one query for the authors,
    one for each kind of place either names)."""
    author_ids = {older.article.get("author_id"), newer.article.get("author_id")}
    authors = Author.objects.in_bulk([pk for pk in author_ids if pk is not None])

    def author_name(snapshot):
        pk = snapshot.article.get("author_id")
        return authors[pk].name if pk in authors else f"Author #{pk} (deleted)"

    fields = [
        FieldChange("Title", text_diff(older.article["title"], newer.article["title"])),
        FieldChange(
            "Standfirst", text_diff(older.article["standfirst"], newer.article["standfirst"])
        ),
        FieldChange("Author", text_diff(author_name(older), author_name(newer))),
        FieldChange("Tags", list_diff([n for _, n in older.tags], [n for _, n in newer.tags])),
        *_place_changes(older, newer),
    ]
    return RevisionDiff(
        fields=fields,
        sections=_matched(older.sections, newer.sections, _section_fields, _section_label),
        figures=_matched(
            older.figures,
            newer.figures,
            lambda old, new: _figure_fields(old, new, older, newer),
            _figure_label,
        ),
    )


def _matched(old_rows, new_rows, changed_fields, label):
    """Rows matched by id, in the newer order, each removed row after the one it followed."""
    old_by_id = {row["id"]: row for row in old_rows}
    new_ids = {row["id"] for row in new_rows}
    removed_after = {}  # id of the kept row a removed row followed (None: at the top)
    previous = None
    for row in old_rows:
        if row["id"] in new_ids:
            previous = row["id"]
        else:
            removed_after.setdefault(previous, []).append(row)
    kept_old_order = [row["id"] for row in old_rows if row["id"] in new_ids]
    kept_new_order = [row["id"] for row in new_rows if row["id"] in old_by_id]

    entries = [_gone(row, changed_fields, label) for row in removed_after.get(None, [])]
    for row in new_rows:
        old = old_by_id.get(row["id"])
        if old is None:
            entries.append(SectionChange("added", label(row), changed_fields(None, row)))
        else:
            changes = changed_fields(old, row)
            moved = kept_old_order.index(row["id"]) != kept_new_order.index(row["id"])
            status = "changed" if changes else "moved" if moved else "unchanged"
            entries.append(SectionChange(status, label(row), changes))
        entries.extend(
            _gone(gone, changed_fields, label) for gone in removed_after.get(row["id"], [])
        )
    return entries


def _gone(row, changed_fields, label):
    return SectionChange("removed", label(row), changed_fields(row, None))


def _changes(pairs):
    """FieldChange for each (label, old, new) whose texts differ."""
    return [FieldChange(name, text_diff(old, new)) for name, old, new in pairs if old != new]


def _section_label(row):
    return row["heading"]


def _section_fields(old, new):
    if old is None or new is None:  # added or removed: its heading names it already
        return _changes([("Body", (old or {}).get("body", ""), (new or {}).get("body", ""))])
    levels = dict(Section.Level.choices)
    return _changes(
        [
            ("Heading", old["heading"], new["heading"]),
            ("Level", levels.get(old["level"], ""), levels.get(new["level"], "")),
            ("Anchor", old["anchor"] or "", new["anchor"] or ""),
            ("Body", old["body"], new["body"]),
        ]
    )


def _figure_label(row):
    return row["alt_text"]


def _figure_fields(old, new, older, newer):
    def placed(row, snapshot):
        if row is None:
            return ""
        headings = {section["id"]: section["heading"] for section in snapshot.sections}
        return headings.get(row.get("section_id"), "After the last section")

    def image(row):
        return str(row["image"]) if row and row.get("image") else ""

    old_row, new_row = old or {}, new or {}
    return _changes(
        [
            ("Image", image(old), image(new)),
            ("Alt text", old_row.get("alt_text", ""), new_row.get("alt_text", "")),
            ("Caption", old_row.get("caption", ""), new_row.get("caption", "")),
            ("Credit", old_row.get("credit", ""), new_row.get("credit", "")),
            ("Section", placed(old, older), placed(new, newer)),
        ]
    )
