"""
The privacy rule of the importer: private contact data never reaches a public field.

Private contact data is what an author block gives as e-mail, phone, address
or birth date, and any line near the end of the text (the last
``TAIL_LINES`` non-blank lines) that holds an e-mail address, stands alone as
a phone number, or is labelled as contact data (``Phone: …``, ``• Born: …``).
Such lines are dropped when they hold nothing but contact data, with a note
that never repeats the value; a sentence there that mentions an e-mail address
or phone number keeps its words, the value replaced by ``REDACTED``. When in
doubt a line is dropped: losing a stray line is cheaper than publishing a
phone number. Finally ``redact()`` removes every recognised private value
from every public field, wherever the file repeated it (a birth date in any
common rendering: ``1980-11-22``, ``22nd November 1980``, ``Nov 22, 1980``,
``22/11/1980``, ``11/22/1980``, ``22.11.1980``…), ``safe_tags()`` drops tags
that could be private, and ``redact_message()`` keeps private values out of
error messages.
"""

import datetime
import re

from .parsed import ParsedArticle

TAIL_LINES = 12
REDACTED = "[private detail removed]"

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# Seven to fifteen digits, optionally led by + and split by spaces, dots,
# dashes, slashes or brackets: the shapes phone numbers are printed in.
_PHONE = re.compile(r"\+?\(?\d(?:[\s().\-/]{0,3}\d){6,14}\)?")
_MARKUP = re.compile(
    r"^(?:#{1,6}\s+|>\s*|[-*+•·◦‣○▪►–—]\s*|\d{1,2}[.)]\s+|[*_`]{1,3})+|[*_`]{1,3}$"
)
_LABEL = re.compile(r"^([^\W\d_][\w .'/&+-]{0,38}?)[*_]*\s*[:：]\s*(.*)$")

# Labels (lower case, no spaces, dashes or dots) whose value is contact data.
CONTACT_LABELS = {
    "email": "email",
    "emailaddress": "email",
    "mail": "email",
    "phone": "phone",
    "phonenumber": "phone",
    "tel": "phone",
    "telephone": "phone",
    "mobile": "phone",
    "mobilephone": "phone",
    "cell": "phone",
    "whatsapp": "phone",
    "fax": "phone",
    "address": "postal_address",
    "postaladdress": "postal_address",
    "homeaddress": "postal_address",
    "streetaddress": "postal_address",
    "birthdate": "birth_date",
    "dateofbirth": "birth_date",
    "dob": "birth_date",
    "born": "birth_date",
    "birthday": "birth_date",
}


# A phone number inside a sentence: led by + or (, or nine digits or more, so
# that years ("2019-2023") and counts stay.
_SENTENCE_PHONE = re.compile(r"(?<![\w+])(?:\+|\()?\d(?:[\s().\-/]{0,3}\d){6,14}\)?(?!\w)")
_YEAR_RANGE = re.compile(r"\d{4}\s*[-/–]\s*\d{4}")
_URI_CONTACT = re.compile(r"\b(?:mailto|tel|sms|callto):\S*", re.IGNORECASE)
_CONTACT_WORDS = re.compile(
    r"\b(?:e-?mail|mail|contact|phone|tel|call|write|to|at|me|or|on|via|reach)\b", re.IGNORECASE
)
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%d.%m.%Y")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b|\bof\b", re.IGNORECASE)
_MONTH_NAME = "(?:" + "|".join(m[:3] + r"(?:" + m[3:] + r"|\.)?" for m in _MONTHS) + ")"
_ANY_DATE = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)|(?<!\d)\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})(?!\d)"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?(?:[\s_-]+of)?[\s_-]+{_MONTH_NAME}[\s_,-]+\d{{4}}"
    rf"|\b{_MONTH_NAME}[\s_-]+\d{{1,2}}(?:st|nd|rd|th)?[\s_,-]+\d{{4}}",
    re.IGNORECASE,
)


def as_date(value):
    """The date ``value`` writes (``1984-06-09``, ``9 June 1984``, ``June 9, 1984``…), or None."""
    value = " ".join(_ORDINAL.sub("", str(value)).split())
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _date_pattern(day):
    """A pattern for the common renderings of ``day``."""
    d = rf"0?{day.day}"
    m = rf"0?{day.month}"
    y = rf"(?:{day.year}|{day.year % 100:02d})"
    month = _MONTHS[day.month - 1]
    short = month[:3] + r"\.?" + (r"|sept\.?" if day.month == 9 else "")
    name = rf"(?:{month}|{short})"
    nth = r"(?:st|nd|rd|th)?"
    sep = r"[\s_-]+"
    return (
        rf"(?<!\d)(?:{day.year}[-/.]{m}[-/.]{d}|{d}[-/.]{m}[-/.]{y}|{m}[-/.]{d}[-/.]{y})(?!\d)"
        rf"|(?<!\d){d}{nth}(?:{sep}of)?{sep}{name},?{sep}{day.year}(?!\d)"
        rf"|\b{name}{sep}{d}{nth},?{sep}{day.year}(?!\d)"
    )


def clean_line(line):
    """``line`` without bullets, heading marks, quote marks and emphasis around it."""
    return _MARKUP.sub("", line.strip()).strip()


def label_of(line):
    """``(normalised label, value)`` of a ``Label : value`` line, or ``(None, "")``."""
    match = _LABEL.match(clean_line(line))
    if not match:
        return None, ""
    return re.sub(r"[\s_.'-]", "", match[1]).lower(), match[2].strip("*_ \t").strip()


def is_phone(text):
    """True when ``text`` is nothing but a phone number."""
    return bool(_PHONE.fullmatch(text.strip()))


def looks_like_contact(line):
    """True when ``line`` holds nothing but contact data: an e-mail address or phone
    number with at most two other words, a lone phone number, or a contact label."""
    text = clean_line(line)
    label, value = label_of(text)
    if label in CONTACT_LABELS or is_phone(text) or (label and is_phone(value)):
        return True
    if not (EMAIL.search(text) or _URI_CONTACT.search(text)):
        return False
    rest = _CONTACT_WORDS.sub(" ", _PHONE.sub(" ", EMAIL.sub(" ", _URI_CONTACT.sub(" ", text))))
    return len(re.findall(r"\w+", rest)) <= 2


def contact_values(text):
    """The e-mail addresses and phone numbers written inside ``text``."""
    found = [match[0] for match in _URI_CONTACT.finditer(text)]
    found += [item.split(":", 1)[1] for item in found if len(item.split(":", 1)[1]) >= 4]
    text = _URI_CONTACT.sub(" ", text)
    found += EMAIL.findall(text)
    text = EMAIL.sub(" ", text)
    found += [
        match[0].strip() for match in _SENTENCE_PHONE.finditer(text) if _is_sentence_phone(match[0])
    ]
    return found


def _is_sentence_phone(number):
    number = number.strip()
    digits = re.sub(r"\D", "", number)
    if _YEAR_RANGE.fullmatch(number) or _ANY_DATE.fullmatch(number):
        return False
    return number[0] in "+(" or len(digits) >= 9


def strip_contact(value):
    """``(value without its e-mail addresses and phone numbers, [those removed])``.

    ``Piet Dorrance <piet@seamail.example>`` gives ``Piet Dorrance``; brackets
    and separators left empty go too.
    """
    found = contact_values(value)
    for item in found:
        value = value.replace(item, " ")
    value = re.sub(r"[<(\[{]\s*[>)\]}]", " ", value)
    value = " ".join(value.split()).strip(" ,;|/<>()[]-–—:·•")
    return value, found


def redact_contact(text):
    """``(text, count)``: each e-mail address and phone number in ``text`` replaced."""
    found = contact_values(text)
    for item in sorted(found, key=len, reverse=True):
        text = text.replace(item, REDACTED)
    return text, len(found)


def drop_contact_tail(lines):
    """``(lines, private values, notes)``: the tail's contact data taken out.

    A line of nothing but contact data goes; a sentence keeps its words, each
    e-mail address or phone number in it replaced by ``REDACTED``.
    """
    kept, dropped, seen, lines_dropped, replaced = [], [], 0, 0, 0
    for line in reversed(lines):
        if line.strip():
            seen += 1
        if seen <= TAIL_LINES and line.strip() and looks_like_contact(line):
            dropped += [_value(line), *contact_values(clean_line(line))]
            lines_dropped += 1
            continue
        if seen <= TAIL_LINES and (values := contact_values(line)):
            dropped += values
            line, count = redact_contact(line)
            replaced += count
        kept.append(line)
    kept.reverse()
    notes = []
    if lines_dropped:
        count = f"{lines_dropped} line{'s' if lines_dropped > 1 else ''}"
        notes.append(
            f"Dropped {count} near the end that looked like private contact details "
            "(e-mail, phone, address or birth date); they were not imported."
        )
    if replaced:
        notes.append(
            f"Replaced {replaced} e-mail address{'es' if replaced > 1 else ''} or phone "
            f"number{'s' if replaced > 1 else ''} near the end with {REDACTED!r}."
        )
    return kept, dropped, notes


def _value(line):
    text = clean_line(line)
    label, value = label_of(text)
    return value if label in CONTACT_LABELS and value else text


def _pattern(value):
    """A pattern finding ``value`` however its spaces (or a phone's separators) vary."""
    if is_phone(value):
        return r"[\s().\-/]*".join(re.escape(digit) for digit in re.sub(r"\D", "", value))
    return r"\s+".join(map(re.escape, value.split()))


def private_fragments(values):
    """The texts to redact: each value, and each part of an address that holds a digit."""
    fragments = set()
    for value in values:
        value = " ".join(str(value).split())
        if len(value) < 4:
            continue
        fragments.add(value)
        fragments.update(
            part.strip()
            for part in re.split(r"[,;\n]", value)
            if len(part.strip()) >= 6 and re.search(r"\d", part)
        )
    return sorted(fragments, key=len, reverse=True)


def private_pattern(values):
    """One pattern finding every private value (birth dates in every rendering), or None."""
    patterns = [_pattern(fragment) for fragment in private_fragments(values)]
    days = {day for day in map(as_date, values) if day}
    patterns += [_date_pattern(day) for day in sorted(days)]
    return re.compile("|".join(patterns), re.IGNORECASE) if patterns else None


def redact_message(message, values=(), keep=""):
    """``message`` without e-mail addresses, phone numbers or any of ``values``.

    ``keep`` (the file's path, which the editor typed) is left as it is.
    """
    if keep and keep in message:
        return keep.join(redact_message(part, values) for part in message.split(keep))
    pattern = private_pattern(values)
    if pattern is not None:
        message = pattern.sub(REDACTED, message)
    message = EMAIL.sub(REDACTED, _URI_CONTACT.sub(REDACTED, message))
    return _SENTENCE_PHONE.sub(
        lambda match: REDACTED if _is_sentence_phone(match[0]) else match[0], message
    )


def _key(text):
    return re.sub(r"[\W_]+", "", str(text).casefold())


def _tag_keys(values):
    """Keys a tag must not contain: each value, a phone's digits, an address's street."""
    keys = set()
    for value in values:
        value = str(value)
        keys.add(_key(value))
        if is_phone(value):
            keys.add(re.sub(r"\D", "", value))
        parts = [part for part in re.split(r"[,;\n]", value) if part.strip()]
        for number, part in enumerate(parts):
            # The street (the first part, or any part with a house number or postcode).
            if number == 0 or re.search(r"\d", part):
                keys.add(_key(part))
                keys.add(_key(re.sub(r"\d+\w?", " ", part)))
                # A postcode: the run of words that hold digits ("LS6 2AB").
                keys.update(map(_key, re.findall(r"\w*\d\w*(?:\s+\w*\d\w*)*", part)))
    return {key for key in keys if len(key) >= 4}


def safe_tags(names, values=()):
    """``(tags, notes)``: ``names`` without those that could be private.

    A tag goes when it holds one of ``values`` (however cased, spaced or
    slugged), an e-mail address, a phone number or a date; the note never
    repeats it.
    """
    keys = _tag_keys(values)
    kept, dropped = [], 0
    for name in names:
        key = _key(name)
        spaced = name.replace("-", " ").replace("_", " ")
        if (
            EMAIL.search(name)
            or _URI_CONTACT.search(name)
            or _PHONE.search(name)
            or _ANY_DATE.search(name)
            or _ANY_DATE.search(spaced)
            or any(private in key for private in keys)
        ):
            dropped += 1
        else:
            kept.append(name)
    notes = []
    if dropped:
        notes.append(
            f"Dropped {dropped} tag{'s' if dropped > 1 else ''} that looked like private "
            "contact details (an e-mail address, phone number, date or part of the author's "
            "address); they were not imported."
        )
    return kept, notes


def redact(parsed: ParsedArticle):
    """Remove every private value from the public fields of ``parsed``; returns ``parsed``."""
    pattern = private_pattern(parsed.private_values)
    found = False

    def scrub(text):
        nonlocal found
        if pattern is None or not text:
            return text
        cleaned = pattern.sub(REDACTED, text)
        found = found or cleaned != text
        return cleaned

    parsed.title = scrub(parsed.title)
    parsed.standfirst = scrub(parsed.standfirst)
    for section in parsed.sections:
        section.heading = scrub(section.heading)
        section.body = scrub(section.body)
    details = parsed.author_details
    if details:
        for name in ("name", "job_title", "company", "bio"):
            value = scrub(getattr(details, name))
            # An author's public line never holds an e-mail address or phone number.
            value = EMAIL.sub(REDACTED, _PHONE.sub(REDACTED, value))
            if value != getattr(details, name):
                found = True
                setattr(details, name, value)
        profiles = []
        for profile in details.social_links:
            public = f"{profile.platform} {profile.url} {profile.handle}"
            if scrub(public) != public or EMAIL.search(public) or _URI_CONTACT.search(public):
                found = True
                shown = profile.platform if re.fullmatch(r"[^\W\d]+", profile.platform) else "a"
                parsed.notes.append(
                    f"Author block: dropped the {shown} profile: it held private contact details."
                )
                continue
            profiles.append(profile)
        details.social_links = profiles
    if found:
        parsed.notes.append(
            "Removed private contact details that the text repeated in public fields."
        )
    return parsed
