"""Site-wide probes, error pages and files that belong to no app."""

import sys
from pathlib import PurePosixPath

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

# Seconds a client (or the proxy in front) should wait before trying again.
RETRY_AFTER_SECONDS = 30


@never_cache
@require_safe
def healthz(request):
    """200 ``ok`` after a database round trip; 503 when the database is unreachable."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    news = request.build_absolute_uri(reverse("sitemap-news"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /markdownx/"]
    lines += [f"Sitemap: {sitemap}", f"Sitemap: {news}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
def favicon(request):
    """``/favicon.ico``, asked for by browsers that never read the page's icon links:
    a temporary redirect to the static file, whose address changes with its content."""
    response = HttpResponseRedirect(static("icons/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


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


@require_safe
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


def server_error(request):
    """``handler500``: 503 with ``Retry-After`` when the database is out of reach, else 500.

    Django calls it while handling the exception, so ``sys.exc_info()`` is
    the error. Neither page touches the database or the session, and if even
    the template fails (a missing static manifest, say) a line of text is sent.
    """
    error = sys.exc_info()[1]
    database_down = isinstance(error, (OperationalError, InterfaceError))
    template, status = ("503.html", 503) if database_down else ("500.html", 500)
    try:
        body = loader.render_to_string(template)
    except Exception:  # the error page itself must never fail
        body = "The site cannot answer just now. Please try again in a minute."
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    if database_down:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# The project's error pages as readers meet them, to look at while developing.
PREVIEWED_ERRORS = {"404": "404.html", "500": "500.html", "503": "503.html"}


@never_cache
@require_safe
def error_page_preview(request, code):
    """``/__preview__/<code>/``: the 404, 500 or 503 page as Django renders it (the 404
    with the request's context, the others with none), answered 200 since nothing
    failed. With ``DEBUG`` off, and for any other code, it is a real 404."""
    if not settings.DEBUG or code not in PREVIEWED_ERRORS:
        raise Http404("No such page.")
    template = PREVIEWED_ERRORS[code]
    request_or_none = request if code == "404" else None
    body = loader.render_to_string(template, request=request_or_none)
    return HttpResponse(body, content_type="text/html; charset=utf-8")
