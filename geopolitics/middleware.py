"""Site-wide request guards and response headers that Django does not provide.

The Content-Security-Policy comes from django-csp and the other headers from
Django's SecurityMiddleware (settings.py, "Security"); this module adds the
Permissions-Policy header, the early refusal of oversized request bodies, and
the client address that the login throttle (django-axes) counts by.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat


def client_ip(request):
    """The address of the client, trusting exactly ``TRUSTED_PROXY_HOPS`` proxies.

    Each proxy we run appends the address it saw to X-Forwarded-For, so with N
    of them the client is the N-th address from the right; anything to its left
    was written by the client and proves nothing. With no trusted proxy, or a
    header shorter than promised, it is the socket's peer (REMOTE_ADDR).
    """
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")


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
