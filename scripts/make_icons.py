"""Draw the site's icons: static/icons/favicon.svg, favicon.ico, icon-32.png, apple-touch-icon.png.

A globe (a circle, its equator, two parallels and a meridian) in the page's
paper colour on the accent red of static/css/site.css. The PNGs and the ICO are
drawn at eight times their size with Pillow and scaled down, so the lines stay
smooth. Run from the project root: ``.venv/bin/python scripts/make_icons.py``.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
ACCENT = "#8a1c1c"
PAPER = "#fdfcf8"
SCALE = 8

# The drawing, on a 32-unit square: (kind, box or points) in those units.
CORNER = 6
GLOBE = (6, 6, 26, 26)
MERIDIAN = (11.5, 6, 20.5, 26)
LINES = [((6, 16), (26, 16)), ((8.2, 11), (23.8, 11)), ((8.2, 21), (23.8, 21))]
STROKE = 2

SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="{CORNER}" fill="{ACCENT}"/>
<g fill="none" stroke="{PAPER}" stroke-width="{STROKE}">
<circle cx="16" cy="16" r="10"/>
<ellipse cx="16" cy="16" rx="4.5" ry="10"/>
{"".join(f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}"/>' for a, b in LINES)}
</g>
</svg>
"""


def draw(size, *, rounded=True):
    """The icon at ``size`` pixels square (a full square for Apple, which rounds it itself)."""
    big = size * SCALE
    unit = big / 32
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    radius = CORNER * unit if rounded else 0
    pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=radius, fill=ACCENT)
    width = round(STROKE * unit)

    def box(units):
        return [value * unit for value in units]

    pen.ellipse(box(GLOBE), outline=PAPER, width=width)
    pen.ellipse(box(MERIDIAN), outline=PAPER, width=width)
    for start, end in LINES:
        pen.line(box((*start, *end)), fill=PAPER, width=width)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "favicon.svg").write_text(SVG)
    draw(32).save(OUT / "icon-32.png", optimize=True)
    draw(180, rounded=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    draw(64).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    print(f"Icons written to {OUT}")


if __name__ == "__main__":
    main()
