"""Site-wide probes and files that belong to no app."""

from pathlib import PurePosixPath

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve


@never_cache
@require_GET
def healthz(request):
    """200 ``ok`` after a database round trip; 503 when the database is unreachable."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /markdownx/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# Media is served as one of four raster types or as a download, never as
# anything a browser would run (HTML, SVG, XML), whatever a file is named;
# and in a sandbox with no script even if a browser sniffed otherwise.
MEDIA_CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
MEDIA_CSP = "default-src 'none'; sandbox"


@require_GET
def media(request, path):
    """Serve an upload from ``MEDIA_ROOT`` (read per request so tests may move it).

    JPEG, PNG, WebP and GIF are served as themselves; any other file as an
    ``application/octet-stream`` attachment.
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = MEDIA_CONTENT_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        response.headers["Content-Type"] = "application/octet-stream"
        response.headers["Content-Disposition"] = "attachment"
    else:
        response.headers["Content-Type"] = content_type
    response.headers.pop("Content-Encoding", None)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    return response
