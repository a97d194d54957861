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
- Two admin inputs no browser sends answer 400, where Django's admin would
  answer 500: a selection for a list action (``_selected_action``) that is
  not row numbers, and a date list filter (``published_at__year=…``) whose
  year, month or day has more digits than any date.
"""

import functools
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from django.urls import reverse

UNREADABLE_FORM = "The form could not be read: send it encoded as UTF-8, as browsers do."
UNREADABLE_SELECTION = "The selection could not be read: tick the rows again."
DATE_OUT_OF_RANGE = "That date is out of range."
DATE_PARTS = ("__year", "__month", "__day")

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
            if not all(map(_is_row_number, request.POST.getlist("_selected_action"))):
                return HttpResponseBadRequest(UNREADABLE_SELECTION, content_type="text/plain")
        if _has_impossible_date(request):
            return HttpResponseBadRequest(DATE_OUT_OF_RANGE, content_type="text/plain")
        return self.get_response(request)


def _has_impossible_date(request):
    """An admin list asked for a year, month or day (a date filter's) of more digits than a
    date has; any other value Django's admin checks itself (a month 13 is refused there)."""
    if "__" not in request.META.get("QUERY_STRING", "") or not _in_admin(request):
        return False
    return any(
        key.endswith(DATE_PARTS) and len(value.strip()) > 4 for key, value in request.GET.items()
    )


@functools.cache
def _admin_prefix():
    return reverse("admin:index")


def _in_admin(request):
    return request.path.startswith(_admin_prefix())


def _is_row_number(value):
    return value.isascii() and value.isdecimal() and int(value) < 2**63
