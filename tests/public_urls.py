"""
Every public URL of the site, generated from the URLconf rather than kept by hand.

``public_urls(candidates)`` walks the URL patterns, and for each named
pattern tries every combination of candidate values for its arguments
(``{"slug": [...], "pk": [...]}``), keeping those that reverse. A pattern
whose arguments have no candidates is reported, so a new URL cannot slip
past the site-wide tests unnoticed.
"""

import itertools

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

# Not public: the admin and the editor's endpoints need a staff login, and
# uploads are files, tested on their own.
NOT_PUBLIC_PREFIXES = ("/admin/", "/markdownx/", "/media/", "/__")


def _parameters(pattern):
    return tuple(pattern.regex.groupindex)


def _named_patterns(patterns, namespace="", inherited=()):
    """``(name, argument names)`` for every named pattern, includes followed."""
    for entry in patterns:
        params = (*inherited, *_parameters(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry.url_patterns, inner, params)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", params


def public_urls(candidates):
    """``(urls, uncovered)``: the concrete public URLs, and patterns none could fill."""
    urls, uncovered = [], []
    for name, params in _named_patterns(get_resolver().url_patterns):
        found = []
        if all(param in candidates for param in params):
            for values in itertools.product(*(candidates[param] for param in params)):
                try:
                    url = reverse(name, kwargs=dict(zip(params, values, strict=True)))
                except NoReverseMatch:
                    continue
                found.append(url)
        found = [url for url in found if not url.startswith(NOT_PUBLIC_PREFIXES)]
        if found:
            urls.extend(found)
        elif not _is_excluded(name):
            uncovered.append(name)
    return sorted(set(urls)), uncovered


def _is_excluded(name):
    namespace = name.split(":", 1)[0] if ":" in name else ""
    # error-preview: /__preview__/<code>/, in DEBUG only (tests/articles/test_reading_details.py).
    return namespace == "admin" or name.startswith(("markdownx", "media", "error-preview"))
