"""
Requests the site refuses before any view sees them.

- Methods other than GET, HEAD, POST and OPTIONS answer 405: nothing here
  takes TRACE, PUT or DELETE, and feeds would otherwise answer them with 200.
- A NUL character anywhere in the path or the query string answers 400.
  PostgreSQL cannot store or compare text containing NUL, so such a value
  would turn a search or an admin list filter into a 500; no reader or
  editor ever types one.
- A form Django cannot read (sent in another encoding than UTF-8) answers
  400 with a line saying so, here rather than in the view that would read
  it: there, Django's error page with DEBUG on read the form again and
  failed with a 500.
"""

from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed

UNREADABLE_FORM = "The form could not be read: send it encoded as UTF-8, as browsers do."

ALLOWED_METHODS = ("GET", "HEAD", "POST", "OPTIONS")


def _contains_nul(raw):
    return b"\x00" in unquote_to_bytes(raw.replace("+", " "))


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        if "\x00" in request.path or _contains_nul(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest(
                "The address contains a NUL character.", content_type="text/plain"
            )
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 (read now, to refuse what cannot be read)
            except BadRequest:
                return HttpResponseBadRequest(UNREADABLE_FORM, content_type="text/plain")
        return self.get_response(request)
