"""
Addresses of articles, authors and tags, worked out once per process.

``reverse()`` costs about 18 µs (the resolver is looked up through
thread-locals every time), and a page of ten search results links about
80 addresses: two fifths of rendering its cards (issue 8). An address
depends only on the view, its arguments, the URLconf and the script prefix,
so it is kept by those, for as many as ``KEPT`` addresses.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

KEPT = 20_000


def address(viewname, **kwargs):
    """``reverse(viewname, kwargs=kwargs)``, remembered."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(viewname, tuple(sorted(kwargs.items())), urlconf, get_script_prefix())


@functools.lru_cache(maxsize=KEPT)
def _reverse(viewname, kwargs, urlconf, script_prefix):
    # script_prefix is part of the key only: reverse() reads the same prefix itself.
    return reverse(viewname, kwargs=dict(kwargs), urlconf=urlconf)
