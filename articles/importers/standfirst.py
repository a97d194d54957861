"""
A long opening paragraph is cut to a standfirst of a sentence or two; the rest opens the body.

An imported file often has no standfirst of its own, so its opening text is
used, and that can be a 200-word paragraph. Past ``LONG_WORDS`` words we keep
the first sentence, and the second too when both fit in ``LONG_WORDS`` (the
first however long), and put everything after them, unchanged, at the start
of the first section's text. Nothing is lost: the two parts together hold
every word of the original, in order.

A sentence ends at ``.``, ``!`` or ``?`` (and any closing quotes or brackets)
followed by a space and a capital letter, digit or opening quote, or at a blank
line. A full stop in "U.S." or "e.g.", after a title ("Dr.", "Gen.") or an
initial ("J. Smith") ends nothing, and "3.5" has no space after its point.
"""

import re

LONG_WORDS = 60

_ENDING = re.compile(
    r"""[.!?]+["'”’)\]]*   # the end of a sentence, with what closes it
        (?=\s+["'“‘(\[]*[A-Z0-9À-ÖØ-Þ])  # then a space and what starts a new one""",
    re.VERBOSE,
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Words whose full stop is not the end of a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "capt", "cmdr", "adm", "sgt",
    "sen", "rep", "gov", "pres", "amb", "rev", "hon", "jr", "sr", "no", "nos", "vol", "pp",
    "fig", "vs", "etc", "approx", "inc", "ltd", "co", "corp", "dept", "est", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "cf", "al",
}  # fmt: skip
# "U.S.", "e.g.", "a.m.": letters with points between them; "J." an initial.
_DOTTED = re.compile(r"^(?:\w\.)+\w?$|^[A-Z]$")


def count_words(text):
    return len(text.split())


def sentence_ends(text):
    """Offsets in ``text`` just after each sentence that ends before its last one."""
    ends = {match.end() for match in _PARAGRAPH_BREAK.finditer(text)}
    for match in _ENDING.finditer(text):
        word = text[: match.start()].rsplit(None, 1)[-1] if text[: match.start()].strip() else ""
        word = word.lstrip("\"'“‘([")
        if match.group().startswith(".") and (
            word.casefold().rstrip(".") in ABBREVIATIONS or _DOTTED.match(word)
        ):
            continue
        ends.add(match.end())
    return sorted(end for end in ends if text[end:].strip())


def split_standfirst(text, *, limit=LONG_WORDS, sentences=2):
    """``(standfirst, rest)``: ``text`` whole and ``""`` when it has at most ``limit``
    words; else its first ``sentences`` sentences within ``limit`` words (the first
    however long) and the rest."""
    if count_words(text) <= limit:
        return text, ""
    cut = None
    for end in sentence_ends(text)[:sentences]:
        if cut is not None and count_words(text[:end]) > limit:
            break
        cut = end
    if cut is None:
        return text, ""
    return text[:cut].strip(), text[cut:].strip()


def shorten_standfirst(parsed):
    """Move what follows the first sentence or two of a long standfirst to the start
    of the first section; with no section to take it, the standfirst stays whole."""
    if not parsed.sections:
        return parsed
    standfirst, rest = split_standfirst(parsed.standfirst)
    if rest:
        first = parsed.sections[0]
        parsed.standfirst = standfirst
        first.body = f"{rest}\n\n{first.body}" if first.body.strip() else rest
    return parsed
