"""
The author block that may end an imported file, in either format::

    Name : Ingrid Solberg
    Job : Senior fellow              (also Company, Bio)
    Email : ingrid@example.org       (also Phone, Address, Birthdate as YYYY-MM-DD)

    LinkedIn
    url : https://www.linkedin.com/in/ingrid-solberg-example
    username : ingrid-solberg
    followers : 1,234                (also 1234, 1 234 or 1.2K)
    following : 56

The block starts at the last ``Name : …`` line and runs to the end of the
file; every line in it must be one of the above, so a typo is an error rather
than text quietly left in the article. A line without a ``key :`` names a
social platform, and the ``url``, ``username``, ``followers`` and
``following`` lines after it describe that profile. Keys ignore case, spaces
and the space before the colon. Email, phone, address and birth date are
private: they go to the newsroom-only fields of ``Author``.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone

from ..models import Author, SocialLink
from .parsed import AuthorDetails, ImportFailed, SocialProfile, clip, fit

_BLOCK_LINE = re.compile(r"^([A-Za-z][A-Za-z _-]{0,30}?)\s*:\s*(.*)$")
_GROUPED_COUNT = re.compile(r"^\d{1,3}(?:[,. \u00a0\u202f']\d{3})+$")
_SHORT_COUNT = re.compile(r"^(\d+(?:\.\d+)?)\s*([kKmM])$")
_LARGEST_COUNT = 2_147_483_647  # PositiveIntegerField on every database

_AUTHOR_FIELDS = {
    "name": "name",
    "job": "job_title",
    "jobtitle": "job_title",
    "company": "company",
    "bio": "bio",
    "email": "email",
    "phone": "phone",
    "address": "postal_address",
    "birthdate": "birth_date",
}
_SOCIAL_FIELDS = {
    "url": "url",
    "username": "handle",
    "handle": "handle",
    "followers": "followers",
    "following": "following",
}


def _block_field(line):
    match = _BLOCK_LINE.match(line.strip())
    if not match:
        return None, ""
    return re.sub(r"[\s_-]", "", match[1]).lower(), match[2].strip()


def split_author_block(lines):
    """``(lines before the trailing author block, AuthorDetails or None)``."""
    starts = [number for number, line in enumerate(lines) if _block_field(line)[0] == "name"]
    if not starts or not _block_field(lines[starts[-1]])[1]:
        return lines, None
    values, links = {}, []
    for line in lines[starts[-1] :]:
        text = line.strip()
        if not text:
            continue
        key, value = _block_field(text)
        if key in _SOCIAL_FIELDS and links:
            links[-1][_SOCIAL_FIELDS[key]] = value
        elif key in _AUTHOR_FIELDS:
            values[_AUTHOR_FIELDS[key]] = value
        elif key in _SOCIAL_FIELDS:
            raise ImportFailed(
                f"author block: {clip(text)!r} must follow a platform line such as LinkedIn"
            )
        elif key is None and len(text) <= SocialLink._meta.get_field("platform").max_length:
            links.append({"platform": text})
        else:
            raise ImportFailed(
                f"author block: cannot read {clip(text)!r}; expected Name, Job, Company, Bio, "
                "Email, Phone, Address, Birthdate, or a platform line followed by url, "
                "username, followers, following"
            )
    return lines[: starts[-1]], _author_details(values, links)


def _author_details(values, links):
    details = AuthorDetails(
        **{
            name: fit(f"the author's {name.replace('_', ' ')}", value, Author, name)
            for name, value in values.items()
            if name not in {"email", "birth_date"}
        }
    )
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            raise ImportFailed(
                f"author email {clip(values['email'])!r} is not an email address"
            ) from None
        details.email = values["email"]
    if values.get("birth_date"):
        details.birth_date = _parse_birth_date(values["birth_date"])
    details.social_links = [_social_profile(link) for link in links]
    return details


def _parse_birth_date(value):
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise ImportFailed(
            f"author birthdate {clip(value)!r} is not a date: write it as YYYY-MM-DD"
        ) from None
    if day > timezone.localdate():
        raise ImportFailed(f"author birthdate {value} is in the future")
    return day


def _social_profile(link):
    platform = link["platform"]
    url = link.get("url", "")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        problem = f"an invalid url {clip(url)!r}" if url else "no 'url :' line"
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
