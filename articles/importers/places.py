"""
What an imported article is about: countries, regions and actors named in the file or options.

Front matter ``countries:``, ``regions:`` and ``actors:`` and the options
``--countries``, ``--regions`` and ``--actors`` take the same forms: ``ru, ir``,
``[RU, "ir"]`` or ``ru ir`` (two-letter codes may be separated by spaces alone);
a quoted item keeps its commas (``"Korea, Republic of"``).
A country is its ISO 3166-1 alpha-2 or alpha-3 code, ``UK`` (for GB), its
name as the site spells it, or an ISO name pycountry knows (any case). A
region or an actor is its exact slug, else the one whose slug or name matches
in any case (several is an error naming them). Anything unknown is an
``ImportFailed`` naming it, and nothing is saved. Actors are not created by
the importer (a typo would make a public page): editors add them in the admin.
"""

import re

import pycountry
from django.db.models import Q

from places.models import Actor, Country, Region

from .parsed import ImportFailed, clip, list_items

_CODES = re.compile(r"^[A-Za-z]{2}(?:\s+[A-Za-z]{2})+$")


def split_places(value):
    """Names or codes from ``a, b``, ``[a, "b, c"]``, ``a b`` (codes only) or a list of those."""
    if isinstance(value, list | tuple):
        return [name for item in value for name in split_places(item)]
    names = []
    for text, quoted in list_items(value or ""):
        if not quoted and _CODES.match(text):
            names.extend(text.split())
        else:
            names.append(text)
    return names


def _unique(found):
    seen, kept = set(), []
    for item in found:
        if item.pk not in seen:
            seen.add(item.pk)
            kept.append(item)
    return kept


def _resolve(values, what, lookup):
    found, unknown = [], []
    for value in values:
        # A control character (NUL, which PostgreSQL refuses in a query) names nothing.
        match = lookup(value) if value.isprintable() else None
        (found.append(match) if match is not None else unknown.append(value))
    if unknown:
        names = ", ".join(repr(clip(value, 40)) for value in unknown[:5])
        raise ImportFailed(f"unknown {what}: {names}")
    return _unique(found)


# Codes readers write that ISO does not give (documented in docs/places.md).
COUNTRY_ALIASES = {"UK": "GB"}


def _country(value):
    """By alpha-2 code (or alias), the site's name, then any code or name pycountry knows."""
    code = COUNTRY_ALIASES.get(value.upper(), value.upper())
    if len(code) == 2:
        match = Country.objects.filter(code=code).first()
        if match is not None:
            return match
    match = Country.objects.filter(name__iexact=value).first()
    if match is not None:
        return match
    try:
        # Alpha-3 (RUS), official and common names (Türkiye, "Korea, Republic of").
        record = pycountry.countries.lookup(value)
    except LookupError:
        return None
    return Country.objects.filter(code=record.alpha_2).first()


def _by_slug_or_name(model, what):
    """An exact slug wins; else the one row whose slug or name matches in any case.

    Two rows matching (an actor "Hamas" and another with the slug "hamas") are
    an ``ImportFailed`` naming them: guessing would tag the wrong page.
    """

    def lookup(value):
        exact = model.objects.filter(slug=value).first()
        if exact is not None:
            return exact
        matches = list(model.objects.filter(Q(slug__iexact=value) | Q(name__iexact=value))[:6])
        if len(matches) > 1:
            candidates = ", ".join(f"{match.name} (slug {match.slug})" for match in matches[:5])
            raise ImportFailed(
                f"{what} {clip(value, 40)!r} could be any of: {candidates}; use the slug"
            )
        return matches[0] if matches else None

    return lookup


def resolve_places(*, countries=(), regions=(), actors=()):
    """``(countries, regions, actors)`` as model instances; ``ImportFailed`` for any unknown."""
    return (
        _resolve(countries, "country (use an ISO 3166-1 code such as RU, or its name)", _country),
        _resolve(
            regions,
            "region (use its slug, such as middle-east, or its name)",
            _by_slug_or_name(Region, "region"),
        ),
        _resolve(
            actors,
            "actor (add it in the admin under Places and actors first)",
            _by_slug_or_name(Actor, "actor"),
        ),
    )
