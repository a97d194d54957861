"""Smaller copies of a figure's image, so a phone never downloads a desktop image (issue 8).

Each figure gets a rendition at every width in ``WIDTHS`` narrower than its
image (never upscaled), stored through Django's storage API beside the
original (``figures/2026/11/abc.png`` -> ``figures/2026/11/abc-480w.png``), so
they land in the S3 bucket when media is there. ``Figure.renditions`` records
each one's width, height and stored name; the page builds ``srcset`` from that
record alone, with no storage call but ``url()``.

Renditions keep the original's format. The pixels saved by fitting the width
(a 480 px copy is a tenth of a 1600 px one) dwarf what WebP would add, one file
per width needs no ``<picture>`` fallback, PNG charts stay lossless, and the
1200 px copy can be the ``og:image`` that crawlers without WebP still read.
Animated GIFs keep the original only: resizing every frame costs more than it
saves for the rare animated figure.
"""

import io
import logging
import warnings
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from . import uploads

logger = logging.getLogger(__name__)

WIDTHS = (480, 800, 1200, 1600)
# ``src`` for browsers without srcset, and the copy shared on social media.
FALLBACK_WIDTH = 800
SHARING_WIDTH = 1200
QUALITY = 85


def make_renditions(figure):
    """Write renditions of ``figure.image`` and record them on ``figure`` (not saved).

    Renditions of an image the figure no longer shows are deleted from storage
    once the transaction commits. An image that cannot be read gets none: the
    page then serves the original, as before. Returns the names written.
    """
    stale = [rendition["name"] for rendition in figure.renditions]
    figure.renditions = []
    figure.renditions_of = figure.image.name or ""
    if figure.image.name:
        figure.renditions = _write(figure.image)
    # A stale name that a new file took (its old file was gone) is not stale.
    written = {rendition["name"] for rendition in figure.renditions}
    stale = [name for name in stale if name not in written]
    if stale:
        storage = figure.image.storage
        transaction.on_commit(lambda: delete_files(storage, stale))
    return sorted(written)


def discard_renditions(figures):
    """Delete the stored renditions of ``figures`` once the transaction commits."""
    names = [rendition["name"] for figure in figures for rendition in figure.renditions]
    if names:
        storage = figures[0].image.storage
        transaction.on_commit(lambda: delete_files(storage, names))
    return names


def delete_files(storage, names):
    for name in names:
        storage.delete(name)


def _write(field_file):
    try:
        # Its own file object: the field's stays as the caller left it.
        with field_file.storage.open(field_file.name, "rb") as stored:
            data = stored.read()
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(uploads.FORMATS))
            if image.width * image.height > uploads.MAX_PIXELS:
                raise ValueError("too many pixels")
            if image.format == "GIF" and getattr(image, "n_frames", 1) > 1:
                return []
            image.load()
    except (
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ) as error:
        # Unreadable or missing: the figure keeps working with its original.
        logger.warning("No renditions for %s: %s", field_file.name, error)
        return []
    written = []
    try:
        for width in (w for w in WIDTHS if w < image.width):
            height = max(1, round(image.height * width / image.width))
            name = field_file.storage.save(
                _rendition_name(field_file.name, width), ContentFile(_encode(image, width, height))
            )
            written.append({"width": width, "height": height, "name": name})
    except BaseException:
        delete_files(field_file.storage, [rendition["name"] for rendition in written])
        raise
    return written


def _rendition_name(name, width):
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{width}w{path.suffix}"))


def _encode(image, width, height):
    fmt = image.format
    if fmt == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    elif fmt == "GIF" or image.mode not in {"RGB", "RGBA", "L", "LA"}:
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    resized = image.resize((width, height), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    if fmt == "GIF":
        resized = resized.convert("P", palette=Image.Palette.ADAPTIVE)
    options = {"quality": QUALITY} if fmt in {"JPEG", "WEBP"} else {}
    if fmt in {"JPEG", "PNG"}:
        options["optimize"] = True
    resized.save(output, fmt, **options)
    return output.getvalue()


def _has_alpha(image):
    return image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
