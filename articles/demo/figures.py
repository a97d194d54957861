"""
Charts, schematic maps and diagrams for the demo articles, drawn with Pillow.

They are deliberately plain: a title, labelled shapes and the site's palette.
Drawing is deterministic, so the same figure always gives the same PNG bytes;
``loaddemo`` relies on that to leave unchanged files alone. Schematic maps use
a 0–100 grid on both axes (x to the right, y downwards) rather than real
coordinates: they show relationships, not cartography.
"""

import io
import math
from functools import cache
from typing import NamedTuple

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 675
MARGIN = 60
PLOT_TOP = 150
PLOT_BOTTOM = HEIGHT - 80

PAPER = "#fbfaf7"
INK = "#1f2933"
MUTED = "#5f6b76"
GRID = "#dde1e5"
SEA = "#d8e8ee"
LAND = "#e8e2d3"
LAND_EDGE = "#b9ae95"
RIVER = "#2b6f9e"
SERIES = ("#0f5c6e", "#c0492f", "#6f7f2e", "#7d4f96")


class Region(NamedTuple):
    label: str
    points: list
    label_at: tuple | None = None  # default: the average of the points
    fill: str = LAND


class Route(NamedTuple):
    label: str
    points: list
    label_at: tuple
    colour: str | None = None


@cache
def font(size):
    """Pillow's bundled FreeType font, so no system fonts are needed."""
    return ImageFont.load_default(size=size)


def png_bytes(image):
    """The image as a 64-colour PNG: a third of the size, and quick to encode."""
    buffer = io.BytesIO()
    palette = image.quantize(64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    palette.save(buffer, format="PNG")
    return buffer.getvalue()


def _canvas(title, subtitle, note):
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN, 40), title, font=font(36), fill=INK)
    if subtitle:
        draw.text((MARGIN, 92), subtitle, font=font(22), fill=MUTED)
    if note:
        draw.text((MARGIN, HEIGHT - 42), note, font=font(18), fill=MUTED)
    return image, draw


def _colour(index):
    return SERIES[index % len(SERIES)]


def bar_chart(title, bars, *, subtitle="", unit="", note="", highlight=()):
    """Horizontal bars: ``bars`` is ``[(label, value), ...]``, top to bottom."""
    image, draw = _canvas(title, subtitle, note)
    label_right = MARGIN + 330
    bar_left, bar_right = label_right + 20, WIDTH - MARGIN - 130
    largest = max(value for _, value in bars) or 1
    row = (PLOT_BOTTOM - PLOT_TOP) / len(bars)
    thickness = min(46, row * 0.6)
    for index, (label, value) in enumerate(bars):
        middle = PLOT_TOP + row * (index + 0.5)
        draw.text((label_right, middle), label, font=font(22), fill=INK, anchor="rm")
        end = bar_left + (bar_right - bar_left) * value / largest
        fill = SERIES[1] if index in highlight else SERIES[0]
        draw.rectangle((bar_left, middle - thickness / 2, end, middle + thickness / 2), fill=fill)
        draw.text((end + 12, middle), f"{value:,g}{unit}", font=font(22), fill=INK, anchor="lm")
    draw.line((bar_left, PLOT_TOP - 10, bar_left, PLOT_BOTTOM + 10), fill=INK, width=2)
    return image


def line_chart(title, x_labels, series, *, y_max, y_step, subtitle="", unit="", note=""):
    """Lines over shared x labels: ``series`` is ``[(name, values), ...]``."""
    image, draw = _canvas(title, subtitle, note)
    left, right = MARGIN + 90, WIDTH - MARGIN - 40
    top, bottom = PLOT_TOP + 50, PLOT_BOTTOM - 30

    def y_at(value):
        return bottom - (bottom - top) * value / y_max

    for tick in range(0, y_max + 1, y_step):
        y = y_at(tick)
        draw.line((left, y, right, y), fill=GRID, width=2)
        draw.text((left - 12, y), f"{tick}{unit}", font=font(20), fill=MUTED, anchor="rm")
    step = (right - left) / max(len(x_labels) - 1, 1)
    for index, label in enumerate(x_labels):
        draw.text((left + step * index, bottom + 18), label, font=font(20), fill=MUTED, anchor="mt")
    legend_left = right - 36 - max(draw.textlength(name, font=font(20)) for name, _ in series)
    for number, (name, values) in enumerate(series):
        points = [(left + step * i, y_at(v)) for i, v in enumerate(values)]
        draw.line(points, fill=_colour(number), width=5, joint="curve")
        for x, y in points:
            draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=_colour(number))
        legend_y = PLOT_TOP - 15 + 30 * number
        draw.rectangle(
            (legend_left, legend_y - 4, legend_left + 24, legend_y + 4), fill=_colour(number)
        )
        draw.text((legend_left + 36, legend_y), name, font=font(20), fill=INK, anchor="lm")
    return image


def flow_diagram(title, stages, *, subtitle="", note="", highlight=()):
    """Boxes left to right joined by arrows: ``stages`` is ``[(label, detail), ...]``."""
    image, draw = _canvas(title, subtitle, note)
    gap = 46
    box_width = (WIDTH - 2 * MARGIN - gap * (len(stages) - 1)) / len(stages)
    top, bottom = PLOT_TOP + 90, PLOT_BOTTOM - 90
    for index, (label, detail) in enumerate(stages):
        left = MARGIN + index * (box_width + gap)
        colour = SERIES[1] if index in highlight else SERIES[0]
        draw.rounded_rectangle(
            (left, top, left + box_width, bottom), radius=14, fill="white", outline=colour, width=4
        )
        draw.rectangle((left + 2, top + 2, left + box_width - 2, top + 12), fill=colour)
        centre = left + box_width / 2
        draw.multiline_text(
            (centre, top + 60), label, font=font(24), fill=INK, anchor="mm", align="center"
        )
        draw.multiline_text(
            (centre, top + 150),
            detail,
            font=font(18),
            fill=MUTED,
            anchor="mm",
            align="center",
            spacing=6,
        )
        if index < len(stages) - 1:
            y = (top + bottom) / 2
            _arrow(draw, (left + box_width + 6, y), (left + box_width + gap - 6, y), INK)
    return image


def schematic_map(title, *, regions=(), routes=(), places=(), subtitle="", note="", background=SEA):
    """Labelled shapes on a plain panel, on a 0–100 grid.

    ``regions`` are ``Region`` polygons; ``routes`` are ``Route`` lines, each
    in its own colour unless it names one, and drawn dashed when its label
    starts with "~" (seasonal, proposed, disputed).
    ``places``: ``(label, point, side)`` dots, labelled "left", "right",
    "above" or "below" them.
    """
    image, draw = _canvas(title, subtitle, note)
    box = (MARGIN, PLOT_TOP, WIDTH - MARGIN, PLOT_BOTTOM)
    draw.rounded_rectangle(box, radius=18, fill=background)

    def at(point):
        x, y = point
        return (box[0] + (box[2] - box[0]) * x / 100, box[1] + (box[3] - box[1]) * y / 100)

    for label, points, label_at, fill in (Region(*region) for region in regions):
        outline = [at(p) for p in points]
        draw.polygon(outline, fill=fill, outline=LAND_EDGE, width=3)
        if label_at is None:
            label_at = (
                sum(x for x, _ in points) / len(points),
                sum(y for _, y in points) / len(points),
            )
        draw.text(at(label_at), label, font=font(20), fill=MUTED, anchor="mm")
    for number, (label, points, label_at, colour) in enumerate(Route(*r) for r in routes):
        colour = colour or _colour(number)
        line = [at(p) for p in points]
        if label.startswith("~"):
            label = label[1:]
            _dashed(draw, line, colour)
        else:
            draw.line(line, fill=colour, width=6, joint="curve")
        draw.text(at(label_at), label, font=font(22), fill=colour, anchor="mm")
    for label, point, side in places:
        x, y = at(point)
        draw.ellipse((x - 8, y - 8, x + 8, y + 8), fill=INK)
        offset, anchor = _LABEL_SIDES[side]
        draw.text((x + offset[0], y + offset[1]), label, font=font(20), fill=INK, anchor=anchor)
    return image


_LABEL_SIDES = {
    "left": ((-14, 0), "rm"),
    "right": ((14, 0), "lm"),
    "above": ((0, -14), "mb"),
    "below": ((0, 14), "mt"),
}


def _dashed(draw, points, colour, dash=18, gap=12):
    for start, end in zip(points, points[1:], strict=False):
        length = math.dist(start, end)
        dx, dy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
        position = 0.0
        while position < length:
            stop = min(position + dash, length)
            draw.line(
                (
                    start[0] + dx * position,
                    start[1] + dy * position,
                    start[0] + dx * stop,
                    start[1] + dy * stop,
                ),
                fill=colour,
                width=6,
            )
            position = stop + gap


def _arrow(draw, start, end, colour):
    draw.line((start, end), fill=colour, width=4)
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    head = [
        end,
        (end[0] - 16 * math.cos(angle - 0.45), end[1] - 16 * math.sin(angle - 0.45)),
        (end[0] - 16 * math.cos(angle + 0.45), end[1] - 16 * math.sin(angle + 0.45)),
    ]
    draw.polygon(head, fill=colour)
