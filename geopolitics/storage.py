"""Uploads in an S3-compatible bucket, written with the headers the site's own media view sends.

A bucket serves an object with the Content-Type and Content-Disposition it
was stored with, so they are decided here, from the name's extension only
(never from the bytes or the client): JPEG, PNG, WebP and GIF as themselves,
anything else as an ``application/octet-stream`` attachment. Uploads are
re-encoded images with a matching extension (``articles/uploads.py``), so the
second case is a safety net.
"""

from pathlib import PurePosixPath

from storages.backends.s3 import S3Storage

from .views import MEDIA_CONTENT_TYPES

DOWNLOAD = {"ContentType": "application/octet-stream", "ContentDisposition": "attachment"}


def object_headers(name):
    """The Content-Type (and for non-images, Content-Disposition) an object named ``name`` gets."""
    content_type = MEDIA_CONTENT_TYPES.get(PurePosixPath(name).suffix.lower())
    if content_type is None:
        return dict(DOWNLOAD)
    return {"ContentType": content_type}


class MediaStorage(S3Storage):
    """django-storages' S3 backend with per-object headers from ``object_headers``."""

    def get_object_parameters(self, name):
        return {**super().get_object_parameters(name), **object_headers(name)}
