"""
Search result cards, rendered once per page-cache generation and shared by every search.

A search nobody made before is answered by the database every time, but what
it finds is mostly the same few thousand recent articles. A result card shows
the article's title, standfirst, byline, date, reading time, comment count
and tags, which depend on the article and its discussion only, never on the
words searched: so each card is rendered once per generation
(``page_cache.generation()``, which moves on with every change a reader could
see) and kept in the cache, and a search reads its page of cards in one round
trip. Only the matching passage (``search.snippet``) is per search (issue 8).

A card is a ``Card``: the HTML before the passage, the standfirst paragraph
that stands in when no passage matched, and the HTML after it
(``includes/search_result.html`` puts them together).
"""

import logging
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from . import card_sql, discussion, page_cache
from .models import Article

logger = logging.getLogger(__name__)

CARD_TEMPLATE = "includes/search_result_card.html"
# Around the standfirst paragraph in CARD_TEMPLATE. Titles and standfirsts
# are escaped there, so only the template itself can write these.
PASSAGE_START, PASSAGE_END = "<!-- passage -->", "<!-- /passage -->"

# Cards this process rendered or fetched last (about 1 KB each), by key (which
# names the generation), so that a popular article's card costs no round trip.
_local = page_cache.RecentCopies(limit=2000)


class Card(NamedTuple):
    before: SafeString
    standfirst: SafeString
    after: SafeString


def cards(ids):
    """``{article id: Card}`` for the published articles ``ids``, rendered at most once
    per generation each; articles no longer there are left out."""
    if not ids:
        return {}
    keys = _keys(ids)
    if keys is None:  # no page cache, or it is unreachable: render every time
        return render_cards(ids)
    found = {pk: _local[key] for pk, key in keys.items() if key in _local}
    wanted = {keys[pk]: pk for pk in ids if pk not in found}
    if wanted:
        try:
            stored = cache.get_many(list(wanted))
        except Exception:
            stored = {}
        found.update({wanted[key]: Card(*value) for key, value in stored.items()})
    missing = [pk for pk in ids if pk not in found]
    rendered = render_cards(missing) if missing else {}
    if rendered:
        try:
            cache.set_many(
                {keys[pk]: tuple(card) for pk, card in rendered.items()},
                timeout=settings.PAGE_CACHE_SECONDS,
            )
        except Exception:
            logger.warning("could not store rendered result cards")
    found.update(rendered)
    for pk, card in found.items():
        _local.remember(keys[pk], card)
    return found


def _keys(ids):
    if not settings.PAGE_CACHE_ENABLED:
        return None
    try:
        current = page_cache.generation()
    except page_cache.CacheUnavailable:
        return None
    return {pk: f"fragment:result-card:{current}:{pk}" for pk in ids}


def render_cards(ids):
    """``{article id: Card}`` for the published articles among ``ids``, freshly rendered,
    in two queries on PostgreSQL (the articles with their authors and tags,
    ``articles.card_sql``; the comment counts), three elsewhere."""
    articles = card_rows(ids)
    discussion.annotate_comment_counts(articles)
    return {
        article.pk: _card(render_to_string(CARD_TEMPLATE, {"article": article}))
        for article in articles
    }


def card_rows(ids):
    """The published articles among ``ids`` as a card shows them: ``for_results()``'s rows,
    their tags in alphabetical order."""
    if connection.vendor == "postgresql":
        articles = card_sql.card_articles(ids)
    else:
        articles = list(Article.objects.published().filter(pk__in=ids).for_results())
    for article in articles:
        article.tag_list.sort(key=lambda tag: (tag.name.casefold(), tag.name, tag.pk))
    return articles


def _card(html):
    before, rest = html.split(PASSAGE_START, 1)
    standfirst, after = rest.split(PASSAGE_END, 1)
    # Parts of the template's own output, in which everything readers typed is escaped.
    return Card(mark_safe(before), mark_safe(standfirst), mark_safe(after))  # noqa: S308
