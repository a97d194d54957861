"""
The page a preview link shows (articles/previews.py): a draft, to anyone holding the link.

Every response from here, found or not, is private: never stored by the page
cache or a shared cache, never indexed, and sends no Referer that would carry
the token to another site.
"""

import functools

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found

from . import page_cache, previews

EXPIRED_MESSAGE = "This preview link has expired. Ask the editor who sent it for a new one.\n"


def private(view):
    """Mark every response of ``view`` (a 404 too) noindex and never to be stored."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404 as error:
            response = page_not_found(request, error)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
        return page_cache.exempt(response)

    return wrapper


@require_safe
@private
def preview(request, token):
    """A draft through its link. Template ``articles/article_preview.html``.

    Context: ``article`` and ``body`` (``articles/article_body.html`` with
    ``preview`` set: a "Draft preview" banner and no discussion or comment
    form). A forged, unknown or revoked link is a 404, an expired one a 410
    with a line of text; an article published since goes to its public page.
    """
    try:
        link = previews.link_for_token(token)
    except previews.LinkExpired:
        return HttpResponse(EXPIRED_MESSAGE, status=410, content_type="text/plain; charset=utf-8")
    if link is None:
        raise Http404("No such preview link.")
    article = link.article
    if article.is_published:
        return redirect(article)
    # Not performance-critical: plain prefetches, not the public page's for_detail().
    prefetch_related_objects(
        [article], "tags", "sections", "figures", "author__social_links", "corrections"
    )
    body, trailing_figures, notes = article.body()
    html = render_to_string(
        "articles/article_body.html",
        {
            "article": article,
            "preview": True,
            "toc": article.table_of_contents(),
            "body": body,
            "trailing_figures": trailing_figures,
            "notes": notes,
            "corrections": list(article.corrections.all()),
        },
    )
    # Our own template's output, escaped when it was rendered.
    context = {"article": article, "body": mark_safe(html)}  # noqa: S308
    return render(request, "articles/article_preview.html", context)
