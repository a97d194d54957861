"""Site-wide request guards and response headers that Django does not provide.

The Content-Security-Policy comes from django-csp and the other headers from
Django's SecurityMiddleware (settings.py, "Security"); this module adds the
Permissions-Policy header, the early refusal of oversized request bodies, and
the client address that the login throttle (django-axes) counts by.
"""

import ipaddress

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat


def client_ip(request):
    """The client's IP, counting ``TRUSTED_PROXY_HOPS`` proxies of ours in front.

    With 0 hops it is REMOTE_ADDR. With N, each of our proxies appended the
    address it saw to X-Forwarded-For, so the client is the Nth entry from the
    right; anything left of it is the client's own say-so and is never used.
    A header shorter than N did not pass through all our proxies, so none of
    it is trusted: the answer is REMOTE_ADDR. Entries that are not IP
    addresses are skipped towards the right, and with nothing usable the
    answer is REMOTE_ADDR too.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",")]
    if len(entries) < hops:
        return remote
    for entry in entries[max(len(entries) - hops, 0) :]:
        if _is_ip(entry):
            return entry
    return remote


def _is_ip(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body exceeds ``REQUEST_MAX_BODY_SIZE`` with 413.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams any size
    of file upload to FILE_UPLOAD_TEMP_DIR; this runs before anything reads
    the body (CSRF checks read request.POST), so nothing of it is stored.
    Django never reads past Content-Length, so a body without one is empty.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_MAX_BODY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(
                "Invalid Content-Length header.", status=400, content_type="text/plain"
            )
        if length > limit:
            message = f"Request too large: the limit is {filesizeformat(limit)}."
            return HttpResponse(message, status=413, content_type="text/plain")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Deny the browser features listed in ``PERMISSIONS_POLICY`` to every page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
