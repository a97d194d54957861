"""
The privacy rule of the importer: private contact data never reaches a public field.

Private contact data is what an author block gives as e-mail, phone, address
or birth date, and any line near the end of the text (the last
``TAIL_LINES`` non-blank lines) that holds an e-mail address, stands alone as
a phone number, or is labelled as contact data (``Phone: …``, ``• Born: …``).
Such lines are dropped, with a note that never repeats the value. When in
doubt a line is dropped: losing a stray line is cheaper than publishing a
phone number. Finally ``redact()`` removes every recognised private value
from every public field, wherever the file repeated it.
"""

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
    """True when ``line`` holds an e-mail address, a lone phone number or a contact label."""
    text = clean_line(line)
    label, value = label_of(text)
    return bool(
        EMAIL.search(text)
        or is_phone(text)
        or label in CONTACT_LABELS
        or (label and is_phone(value))
    )


def drop_contact_tail(lines):
    """``(lines, dropped values, notes)``: the tail's contact lines taken out."""
    kept, dropped, seen = [], [], 0
    for line in reversed(lines):
        if line.strip():
            seen += 1
        if seen <= TAIL_LINES and line.strip() and looks_like_contact(line):
            dropped.append(_value(line))
        else:
            kept.append(line)
    kept.reverse()
    notes = []
    if dropped:
        count = f"{len(dropped)} line{'s' if len(dropped) > 1 else ''}"
        notes.append(
            f"Dropped {count} near the end that looked like private contact details "
            "(e-mail, phone, address or birth date); they were not imported."
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


def redact(parsed: ParsedArticle):
    """Remove every private value from the public fields of ``parsed``; returns ``parsed``."""
    fragments = private_fragments(parsed.private_values)
    if not fragments:
        pattern = None
    else:
        pattern = re.compile("|".join(map(_pattern, fragments)), re.IGNORECASE)
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
            if scrub(public) != public or EMAIL.search(public):
                found = True
                continue
            profiles.append(profile)
        details.social_links = profiles
    if found:
        parsed.notes.append(
            "Removed private contact details that the text repeated in public fields."
        )
    return parsed
