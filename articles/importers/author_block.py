"""
The author block that may end an imported file, in the forms real pages print::

    About the author                 (or "Detail Author:", "Author details", "## The author"…)
    • Name : Ingrid Solberg
    • Job : Senior fellow            (also Company, Bio; a line of plain text is the bio)
    • Email : ingrid@example.org     (also Phone, Address, Birthdate: 1981-03-14 or 14 March 1981)
    Socials
    • LinkedIn : https://www.linkedin.com/in/ingrid-solberg-example
    • username : ingrid-solberg      (also url, followers: 1,234 or 1.2K, following)
    • X :                            (no profile: skipped, with a note)

The block starts at the last heading such as "About the author" that is
followed by a known key (Name, Job, Email…), else at the last ``Name : …``
line, and runs to the end of the file, so lines before it that merely look
like keys ("Note: the figures are from 2023.") stay text. Bullets (``•``,
``-``, ``*``), Markdown emphasis, key case and the spaces around the colon do
not matter. A platform is a line of its own (``LinkedIn``) or a key whose
value is a URL or nothing; ``url``, ``username``, ``followers`` and
``following`` lines after it describe that profile. Unknown keys, empty
platforms and text the block cannot place become notes, never failures, and
their values are not imported. Email, phone, address and birth date are
private: they go only to the newsroom-only fields of ``Author``.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone

from ..models import Author, SocialLink
from .parsed import AuthorDetails, ImportFailed, SocialProfile, clip, fit
from .privacy import (
    CONTACT_LABELS,
    EMAIL,
    as_date,
    clean_line,
    contact_values,
    drop_contact_tail,
    is_phone,
    label_of,
    looks_like_contact,
    redact_contact,
    strip_contact,
)

_GROUPED_COUNT = re.compile(r"^\d{1,3}(?:[,. \u00a0\u202f']\d{3})+$")
_SHORT_COUNT = re.compile(r"^(\d+(?:\.\d+)?)\s*([kKmM])$")
_LARGEST_COUNT = 2_147_483_647  # PositiveIntegerField on every database
_ANY_URL = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)
_BARE_URL = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+/\S*$", re.IGNORECASE)
_HEADING = re.compile(
    r"^(?:about (?:the )?(?:author|writer)s?|details? (?:of )?(?:the )?author"
    r"|(?:the )?author(?:'s)? (?:details?|info|information|bio|biography|profile)"
    r"|the author|author box)\s*:?$|^author\s*:$",
    re.IGNORECASE,
)
_SOCIALS = re.compile(
    r"^(?:socials?|social (?:media|links|profiles|networks)|follow (?:me|the author)(?: on)?"
    r"|find (?:me|the author) (?:on|online)|connect|profiles?|links)\s*:?$",
    re.IGNORECASE,
)

AUTHOR_FIELDS = {
    "name": "name",
    "fullname": "name",
    "authorname": "name",
    "author": "name",
    "job": "job_title",
    "jobtitle": "job_title",
    "position": "job_title",
    "role": "job_title",
    "company": "company",
    "organisation": "company",
    "organization": "company",
    "employer": "company",
    "bio": "bio",
    "about": "bio",
    "biography": "bio",
    **CONTACT_LABELS,
}
_NAME_KEYS = {"name", "fullname", "authorname"}
_SOCIAL_FIELDS = {
    "url": "url",
    "link": "url",
    "profile": "url",
    "username": "handle",
    "handle": "handle",
    "followers": "followers",
    "following": "following",
}
_PRIVATE = ("email", "phone", "postal_address", "birth_date")
_ON_ONE_LINE = ("name", "job_title", "company")


def is_block_heading(line):
    return bool(_HEADING.match(clean_line(line)))


def _block_start(lines):
    """Where the author block starts, or None."""
    keys = [label_of(line)[0] for line in lines]
    last_known = max((n for n, key in enumerate(keys) if key in AUTHOR_FIELDS), default=-1)
    for number in reversed(range(last_known)):
        if is_block_heading(lines[number]):
            # Two headings in a row ("About the author", "Detail Author:") both go.
            earlier = [n for n in range(number) if lines[n].strip()]
            while earlier and is_block_heading(lines[earlier[-1]]):
                number = earlier.pop()
            return number
    names = [n for n, key in enumerate(keys) if key in _NAME_KEYS and label_of(lines[n])[1]]
    return names[-1] if names else None


def split_private_tail(lines):
    """``(lines, AuthorDetails or None, notes, private values)`` for the end of a file.

    Takes out the author block, then the contact lines near the new end (see
    ``privacy``). A block without a name gives no details, but its private
    values are still listed so that ``privacy.redact()`` can find any copy.
    """
    lines, details, notes = split_author_block(lines)
    lines, dropped, more = drop_contact_tail(lines)
    private = [*(details.private_values if details else []), *dropped]
    if details and details.birth_date:
        private.append(details.birth_date.isoformat())
    if details and not (details.name or details.problem):
        details = None
    return lines, details, notes + more, private


def split_author_block(lines):
    """``(lines before the trailing author block, AuthorDetails or None, notes)``.

    Whatever the block holds, it never stays in the text. Its private values are
    listed in ``details.private_values`` even when the block has no name.
    """
    start = _block_start(lines)
    if start is None:
        return lines, None, []
    reader = _BlockReader()
    for line in lines[start:]:
        reader.read(line)
    return lines[:start], reader.details(), reader.notes


class _BlockReader:
    """Reads the block line by line into values, profiles and notes."""

    def __init__(self):
        self.values, self.links, self.notes, self.text = {}, [], [], []
        self.profile = None  # the profile that url/username/followers lines describe
        self.raw_private = []
        self.name_problem = ""

    def read(self, line):
        text = clean_line(line)
        if not text or is_block_heading(text) or _SOCIALS.match(text):
            return
        if _ANY_URL.match(text):
            return self._url(text)
        key, value = label_of(text)
        if key is None:
            return self._plain(text)
        self.raw_private += contact_values(value)
        if is_phone(value):
            self.raw_private.append(value)
        label = _label_text(text)
        if key in _SOCIAL_FIELDS and self.profile is not None:
            self.profile[_SOCIAL_FIELDS[key]] = value
        elif key == "bio" and self.profile is not None:
            platform = _shown(self.profile["platform"])
            self.notes.append(f"Author block: ignored {label!r} in the {platform} profile.")
        elif key in AUTHOR_FIELDS:
            name = AUTHOR_FIELDS[key]
            if name in _PRIVATE and value:
                self.raw_private.append(value)
            elif name in _ON_ONE_LINE:
                value = self._public_line(name, value)
            if value:
                self.values[name] = value
        elif (not value or _ANY_URL.match(value) or _BARE_URL.match(value)) and len(label) <= 40:
            url = f"https://{value}" if _BARE_URL.match(value) else value
            self._open({"platform": label, "url": url})
        else:
            self.profile = None
            self.notes.append(f"Author block: ignored {_shown(label)!r} (not a field we import).")

    def _public_line(self, name, value):
        """``value`` of a Name/Job/Company line without its contact details.

        ``Piet Dorrance <piet@seamail.example>`` is Piet Dorrance; the e-mail
        address (or phone number) becomes the private one unless the block
        gives its own.
        """
        value, contact = strip_contact(value)
        for item in contact:
            item = re.sub(r"^(?:mailto|tel|sms|callto):", "", item, flags=re.IGNORECASE)
            kind = "email" if EMAIL.fullmatch(item) else "phone"
            self.raw_private.append(item)
            self.values.setdefault(kind, item)
        if contact and name == "name" and not value:
            self.name_problem = (
                "the author block's Name line holds only contact details: write the author's name"
            )
        return value

    def _open(self, profile):
        self.links.append(profile)
        self.profile = profile

    def _url(self, text):
        if self.profile is not None and not self.profile.get("url"):
            self.profile["url"] = text
        else:
            self.notes.append("Author block: ignored a link that follows no platform line.")

    def _plain(self, text):
        if looks_like_contact(text):
            self.raw_private += [text, *contact_values(text)]
            self.notes.append("Author block: dropped a line of contact details it could not place.")
            return
        if contact := contact_values(text):
            # A sentence of the bio keeps its words, not its e-mail address or phone number.
            self.raw_private += contact
            text = redact_contact(text)[0]
        if not self.values and not self.links and _looks_like_name(text):
            self.values["name"] = text
        elif _looks_like_platform(text):
            self._open({"platform": text})
        else:
            self.text.append(text)

    def details(self):
        values = self.values
        # Only prose may become the bio: a stray address line is never published.
        prose = [line for line in self.text if _is_prose(line)]
        if prose and "bio" not in values:
            values["bio"] = " ".join(prose)
        elif prose:
            self.notes.append("Author block: some lines of text were not imported.")
        if len(prose) < len(self.text):
            self.notes.append("Author block: dropped lines it could not place.")
        links = []
        for link in self.links:
            if not link.get("url") and not any(link.get(k) for k in ("handle", "followers")):
                self.notes.append(
                    f"Author block: {_shown(link['platform'])} has no profile link; skipped."
                )
            else:
                links.append(link)
        if not values.get("name") and self.name_problem:
            return AuthorDetails(
                name="", problem=self.name_problem, private_values=self.raw_private
            )
        if not values.get("name"):
            self.notes.append(
                "Author block: it has no Name line, so its details were not imported."
            )
            return AuthorDetails(name="", private_values=self.raw_private)
        try:
            details = _author_details(values, links)
        except ImportFailed as error:
            details = AuthorDetails(name=values["name"][:120], problem=str(error))
        details.private_values = self.raw_private
        return details


def _label_text(text):
    return re.split(r"[*_]*\s*[:：]", text, maxsplit=1)[0].strip(" *_\t")


def _shown(label):
    """``label`` for a note, unless it could be a private value (digits, @, …)."""
    return label if re.fullmatch(r"[^\W\d_][^\W\d]*(?:[ .+-][^\W\d]+)*", label) else "a platform"


def _is_prose(line):
    return len(line.split()) >= 6 and line.rstrip("\"')”’")[-1:] in ".!?"


def _looks_like_name(text):
    words = text.split()
    return 2 <= len(words) <= 5 and len(text) <= 60 and all(w[:1].isupper() for w in words)


def _looks_like_platform(text):
    return (
        len(text) <= SocialLink._meta.get_field("platform").max_length
        and len(text.split()) <= 3
        and text[-1:] not in ".!?,;"
    )


def _author_details(values, links):
    public = {name: value for name, value in values.items() if name not in _PRIVATE}
    details = AuthorDetails(
        **{
            name: fit(f"the author's {name.replace('_', ' ')}", value, Author, name)
            for name, value in public.items()
        }
    )
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            raise ImportFailed(
                "the author's email in the author block is not an email address"
            ) from None
        details.email = values["email"]
    if values.get("phone"):
        if len(values["phone"]) > Author._meta.get_field("phone").max_length:
            raise ImportFailed("the author's phone in the author block is too long")
        details.phone = values["phone"]
    details.postal_address = values.get("postal_address", "")
    if values.get("birth_date"):
        details.birth_date = _parse_birth_date(values["birth_date"])
    details.social_links = [_social_profile(link) for link in links]
    return details


def _parse_birth_date(value):
    """A date from ``1984-06-09``, ``9 June 1984`` or ``June 9, 1984``.

    The messages never repeat the value: a birth date is private.
    """
    day = as_date(value)
    if day is None:
        raise ImportFailed(
            "the author's birthdate in the author block is not a date: write it as YYYY-MM-DD"
        )
    if day > timezone.localdate():
        raise ImportFailed("the author's birthdate in the author block is in the future")
    return day


def _social_profile(link):
    platform = link["platform"]
    url = link.get("url", "")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        if not url:
            problem = "no 'url :' line"
        elif contact_values(url) or is_phone(url):
            problem = "contact details instead of a url"
        else:
            problem = f"an invalid url {clip(url)!r}"
        raise ImportFailed(f"author block: the {platform} profile has {problem}") from None
    return SocialProfile(
        platform=platform,
        url=fit(f"the {platform} url", url, SocialLink, "url"),
        handle=fit(f"the {platform} username", link.get("handle", ""), SocialLink, "handle"),
        followers=_parse_count(f"{platform} followers", link.get("followers", "")),
        following=_parse_count(f"{platform} following", link.get("following", "")),
    )


def _parse_count(label, value):
    """A follower count: ``1234``, ``1,234``, ``1 234`` or ``1.2K``; blank is unknown."""
    if not value:
        return None
    if value.isascii() and value.isdigit() or _GROUPED_COUNT.match(value):
        count = int(re.sub(r"\D", "", value))
    elif match := _SHORT_COUNT.match(value):
        count = round(float(match[1]) * (1_000 if match[2] in "kK" else 1_000_000))
    else:
        raise ImportFailed(f"{label} {clip(value)!r} is not a number: write 1,234 or 1.2K")
    if count > _LARGEST_COUNT:
        raise ImportFailed(f"{label} {clip(value)!r} is too large")
    return count
