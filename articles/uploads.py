"""Images uploaded by editors, made safe to serve from the site's own origin.

An upload is never stored as sent. Pillow opens it, accepting only the raster
formats JPEG, PNG, WebP and GIF (detected from the bytes, never from the
client's file name or content type), applies the EXIF orientation, shrinks it
to the configured size and encodes it again, which drops every comment, EXIF
block (GPS included) and byte that was not pixels. It is stored under a random
name with the extension of the detected format. Anything else (HTML, SVG,
text named ``.png``, a truncated image, a decompression bomb) is refused with
a message an editor can act on. Issue 7, part 4.
"""

import datetime
import io
import uuid
import warnings
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, ImageSequence

# Detected format -> (extension, content type). The media view serves these
# four content types and nothing else as an image.
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
CONTENT_TYPES = {extension: content_type for extension, content_type in FORMATS.values()}

# Pillow warns past MAX_IMAGE_PIXELS and refuses past twice that; we refuse
# past it (a 7,000 x 5,000 photograph fits), before decoding anything.
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# An animated GIF is decoded frame by frame: cap the frames and their pixels.
MAX_FRAMES = 300
MAX_ANIMATION_PIXELS = 200_000_000

NOT_AN_IMAGE = "This file is not a JPEG, PNG, WebP or GIF image. Upload one of those."
DAMAGED = "This image is damaged or incomplete and cannot be read. Export it again and retry."
TOO_MANY_PIXELS = (
    "This image is too large in pixels ({width} x {height}). "
    "Resize it below 40 megapixels and retry."
)
BOMB = "This image is too large in pixels. Resize it below 40 megapixels and retry."
TOO_MANY_FRAMES = "This animation has too many frames. Shorten it and retry."
TOO_BIG = "Images must be {limit} or smaller; this one is {size}."


@dataclass(frozen=True)
class ImagePolicy:
    """How large an upload may be, and how it is shrunk (from the MARKDOWNX_* settings)."""

    max_bytes: int
    max_width: int  # 0: no limit
    max_height: int  # 0: no limit
    quality: int

    @classmethod
    def from_settings(cls):
        size = settings.MARKDOWNX_IMAGE_MAX_SIZE.get("size", (0, 0))
        return cls(
            max_bytes=settings.MARKDOWNX_UPLOAD_MAX_SIZE,
            max_width=size[0],
            max_height=size[1],
            quality=settings.MARKDOWNX_IMAGE_MAX_SIZE.get("quality", 85),
        )


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image: its bytes and the format Pillow detected."""

    content: bytes
    extension: str
    content_type: str
    width: int
    height: int


def reencode_image(upload, *, policy=None):
    """Decode ``upload`` (a file object) and encode it again as a clean image.

    Returns a ``CleanImage``; raises ``ValidationError`` with an editor-facing
    message for anything that is not a readable JPEG, PNG, WebP or GIF within
    the policy's limits.
    """
    policy = policy or ImagePolicy.from_settings()
    size = getattr(upload, "size", None)
    if size is not None and size > policy.max_bytes:
        raise _too_big(size, policy)
    upload.seek(0)
    data = upload.read(policy.max_bytes + 1)
    if len(data) > policy.max_bytes:
        raise _too_big(len(data), policy)
    with warnings.catch_warnings():
        # A decompression bomb warning is an error here, like the bomb itself.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _reencode(data, policy)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(BOMB) from None
        except ValidationError:
            raise
        except Image.UnidentifiedImageError:
            raise ValidationError(NOT_AN_IMAGE) from None
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
            # What Pillow raises for truncated or malformed data.
            raise ValidationError(DAMAGED) from None


def save_upload(clean_image, *, now=None):
    """Store ``clean_image`` as ``uploads/YYYY/MM/<random>.<ext>`` and return its URL."""
    now = now or datetime.datetime.now(datetime.UTC)
    name = (
        f"{settings.MARKDOWNX_MEDIA_PATH.rstrip('/')}/{now:%Y/%m}/"
        f"{uuid.uuid4().hex}.{clean_image.extension}"
    )
    stored = default_storage.save(name, ContentFile(clean_image.content))
    return default_storage.url(stored)


class ReencodedImageField(forms.ImageField):
    """An ImageField whose upload is replaced by its re-encoded copy, under a random name.

    For the admin's ImageFields (Figure.image, Author.avatar):
    ``formfield_overrides = {models.ImageField: {"form_class": ReencodedImageField}}``.
    """

    def to_python(self, data):
        data = super().to_python(data)
        if data is None:
            return None
        clean = reencode_image(data)
        return SimpleUploadedFile(
            f"{uuid.uuid4().hex}.{clean.extension}", clean.content, clean.content_type
        )


def _too_big(size, policy):
    return ValidationError(
        TOO_BIG.format(limit=filesizeformat(policy.max_bytes), size=filesizeformat(size))
    )


def _reencode(data, policy):
    image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    width, height = image.size
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        raise ValidationError(TOO_MANY_PIXELS.format(width=width, height=height))
    detected = image.format
    extension, content_type = FORMATS[detected]
    output = io.BytesIO()
    if detected == "GIF" and getattr(image, "n_frames", 1) > 1:
        frames, durations = _gif_frames(image, policy)
        frames[0].save(
            output,
            "GIF",
            save_all=True,
            append_images=frames[1:],
            duration=durations,
            loop=image.info.get("loop", 0),
            disposal=2,
        )
        result = frames[0]
    else:
        image.load()
        result = _clean_frame(ImageOps.exif_transpose(image), detected, policy)
        options = {"quality": policy.quality} if detected in {"JPEG", "WEBP"} else {}
        if detected == "JPEG":
            options["optimize"] = True
        result.save(output, detected, **options)
    return CleanImage(output.getvalue(), extension, content_type, *result.size)


def _gif_frames(image, policy):
    if image.n_frames > MAX_FRAMES:
        raise ValidationError(TOO_MANY_FRAMES)
    if image.n_frames * image.size[0] * image.size[1] > MAX_ANIMATION_PIXELS:
        raise ValidationError(TOO_MANY_PIXELS.format(width=image.size[0], height=image.size[1]))
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(frame.info.get("duration", 100))
        frames.append(_clean_frame(frame.convert("RGBA"), "GIF", policy))
    return frames, durations


def _clean_frame(image, detected, policy):
    """A copy with pixels only: converted to a mode the format stores, and shrunk."""
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    if detected == "JPEG":
        image = image.convert("RGB")
    elif detected == "GIF":
        if image.mode != "P":
            image = image.convert("RGBA" if has_alpha else "RGB")
    elif image.mode not in {"RGB", "RGBA", "L", "LA", "P"} or detected == "WEBP":
        image = image.convert("RGBA" if has_alpha else "RGB")
    limit = (policy.max_width or image.width, policy.max_height or image.height)
    if image.width > limit[0] or image.height > limit[1]:
        image = image.copy()
        image.thumbnail(limit, Image.Resampling.LANCZOS)
    # Rebuild from the pixels alone: no EXIF, ICC, XMP, text chunks or comments.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        clean.putpalette(image.getpalette())
        if "transparency" in image.info:
            clean.info["transparency"] = image.info["transparency"]
    return clean
