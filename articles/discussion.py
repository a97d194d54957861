"""
Where another app's discussion joins the article pages, without ``articles`` importing it.

``articles`` never imports ``comments`` (STYLE.md): the comments app registers a
provider here in its ``AppConfig.ready()`` (``comments.article_page``), and the
article views ask this module for what their templates render: the discussion
of the article page, the comment form's context, the comment counts of list
pages. Templates only render what a view supplied. With no provider (comments
not installed), an article page has no discussion and no form, and list cards
show no count.

A provider has four methods:

- ``discussion(article, *, page, sort)``: what the shared article body shows
  (rendered once per page-cache generation, so it must not depend on a reader);
- ``comment_form(request, article, *, shared, posted)``: the context of the
  comment form for this request (``shared``: a page shared by many readers,
  which gets the default form; ``posted``: the state of a refused post, the
  view's ``extra_context``);
- ``comment_counts(articles)``: ``{article id: count}`` for a page of articles;
- ``receive_comment(request, slug)``: the response to a comment posted to the
  article's own address (the form posts there, so that a refused post leaves
  the reader on the article's address).
"""

import contextlib

_provider = None


def register(provider):
    """Make ``provider`` the one the article pages ask (an app's ``ready()`` calls this)."""
    global _provider
    _provider = provider


@contextlib.contextmanager
def provided_by(provider):
    """Within the block, ``provider`` (None: none at all) answers instead; for tests."""
    global _provider
    previous, _provider = _provider, provider
    try:
        yield
    finally:
        _provider = previous


def discussion(article, *, page=1, sort=None):
    """The discussion the article page shows, or None (no provider, or not published)."""
    if _provider is None or not article.is_published:
        return None
    return _provider.discussion(article, page=page, sort=sort)


def comment_form(request, article, *, shared=False, posted=None):
    """The comment form's context for this request, or None when the page has no form."""
    if _provider is None or not article.is_published:
        return None
    return _provider.comment_form(request, article, shared=shared, posted=posted or {})


def annotate_comment_counts(articles):
    """Set ``approved_comment_count`` on each of ``articles`` (a list), in at most one query."""
    counts = _provider.comment_counts(articles) if _provider is not None and articles else {}
    for article in articles:
        article.approved_comment_count = counts.get(article.pk, 0)
    return articles


def receive_comment(request, slug):
    """The response to a comment posted to the article page, or None (no provider)."""
    if _provider is None:
        return None
    return _provider.receive_comment(request, slug)
