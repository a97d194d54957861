"""
A page of search results on PostgreSQL in one statement, written out rather than built by the ORM.

A search nobody made before has nothing to reuse, and on two cores every
millisecond of it is one fewer search a second (issue 8). Built with the ORM,
a page took three statements and about 4 ms of Python to compile them: the
newest matches period by period, ranked and counted, then the page's rows
with their snippets. The same statement counts the matches when a page is
past the last result. Here the same SQL is one statement with named
parameters, so a page costs one round trip and no compiling.

It repeats one rule of the ORM's: what readers may see is
``ArticleQuerySet.published()`` (a public state whose time has come), here
``PUBLISHED``, which the rows of result cards (``articles.card_sql``) share.
tests/articles/test_search.py holds both to it.
"""

import functools

from django.db import connection
from django.utils import timezone

from .models import SEARCH_CONFIG, Article

# What readers may see: ``ArticleQuerySet.published()`` (a public state whose time
# has come), for the rows of ``table``; its parameters are ``published_params()``.
PUBLISHED = "{table}.status = ANY(%(states)s) AND {table}.published_at <= %(now)s"


def published_params():
    """The parameters ``PUBLISHED`` names: the public states, and now."""
    return {"states": [str(state) for state in Article.PUBLIC_STATES], "now": timezone.now()}


# One period of the newest matches (articles.search.SearchPaginator.PERIODS):
# each part is newest first and limited, and the Append above them stops as soon
# as the limit is reached, so an older period is read only when a newer one
# had too few matches. The tsquery is written out in each place it is used:
# websearch_to_tsquery of a constant is folded into a constant when planned,
# which the GIN index needs.
_PERIOD = """(
    SELECT id, published_at,
        ts_rank(rank_vector, websearch_to_tsquery(%(config)s::regconfig, %(words)s)) AS rank
    FROM articles_article
    WHERE {published}
        AND search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(words)s)
        {bounds}
    ORDER BY published_at DESC, id DESC
    LIMIT %(limit)s
)"""

# The snippet's text: the standfirst and the start of the sections' text, each
# cut at articles.search.SNIPPET_SOURCE_CHARS (a long standfirst leaves the
# text its share), without the markers ts_headline adds.
_SNIPPET_SOURCE = """replace(replace(
        left(coalesce(article.standfirst, ''), %(snippet_chars)s) || E'\\n' || left(coalesce((
            SELECT string_agg(section.body_text, E'\\n' ORDER BY section.position)
            FROM articles_section AS section WHERE section.article_id = article.id
        ), ''), %(snippet_chars)s),
        chr(2), ''), chr(3), '')"""

_PAGE = """
WITH newest AS (
    {periods}
    LIMIT %(limit)s
), page AS (
    SELECT id, published_at, rank
    FROM newest
    ORDER BY rank DESC, published_at DESC, id DESC
    LIMIT %(per_page)s OFFSET %(offset)s
)
SELECT counted.matches, article.id, article.title, article.slug,
    ts_headline(%(config)s::regconfig, {snippet_source},
        websearch_to_tsquery(%(config)s::regconfig, %(words)s), %(snippet_options)s)
FROM (SELECT count(*) AS matches FROM newest) AS counted
LEFT JOIN (page JOIN articles_article AS article ON article.id = page.id) ON true
ORDER BY page.rank DESC, page.published_at DESC, page.id DESC
"""

_PUBLISHED_HERE = PUBLISHED.format(table="articles_article")

RESULT_COLUMNS = ("id", "title", "slug")


@functools.cache
def page_statement(periods):
    """The statement for ``periods`` periods (``after_<n>``, ``before_<n>`` bounds)."""
    parts = []
    for number in range(periods):
        bounds = []
        if number > 0:
            bounds.append(f"AND published_at <= %(before_{number})s")
        if number < periods - 1:
            bounds.append(f"AND published_at > %(after_{number})s")
        parts.append(_PERIOD.format(bounds=" ".join(bounds), published=_PUBLISHED_HERE))
    return _PAGE.format(periods="\n    UNION ALL\n    ".join(parts), snippet_source=_SNIPPET_SOURCE)


def headline_options(options):
    """ts_headline's options text for ``options`` (``articles.search.SNIPPET_OPTIONS``)."""
    words = {
        "start_sel": "StartSel",
        "stop_sel": "StopSel",
        "max_words": "MaxWords",
        "min_words": "MinWords",
        "max_fragments": "MaxFragments",
        "fragment_delimiter": "FragmentDelimiter",
    }
    quoted = {
        name: f"'{value}'" if isinstance(value, str) else str(value)
        for name, value in options.items()
    }
    return ", ".join(f"{words[name]}={value}" for name, value in quoted.items())


def page_query(words, *, bounds, limit, per_page, offset, snippet_chars, snippet_options):
    """``(sql, params)`` of the statement ``ranked_page`` runs (see there)."""
    params = {
        "config": SEARCH_CONFIG,
        "words": words,
        **published_params(),
        "limit": limit,
        "per_page": per_page,
        "offset": offset,
        "snippet_chars": snippet_chars,
        "snippet_options": headline_options(snippet_options),
    }
    for number, moment in enumerate(bounds):
        params[f"after_{number}"] = moment
        params[f"before_{number + 1}"] = moment
    return page_statement(len(bounds) + 1), params


def ranked_page(**page):
    """``(matches, articles)`` for one page of the newest ``limit`` matches of ``words``.

    ``page``: ``words`` (the reader's, for websearch_to_tsquery); ``bounds``,
    the moments between the periods, newest first;
    ``limit``, ``per_page`` and ``offset``; ``snippet_chars`` and
    ``snippet_options`` (``articles.search``). ``matches`` counts the newest
    matches up to ``limit``, whatever the page (a page past the last result, or
    ``per_page=0``, has no articles); each article has ``id``, ``title``,
    ``slug`` and ``headline``.
    """
    with connection.cursor() as cursor:
        cursor.execute(*page_query(**page))
        rows = cursor.fetchall()
    articles = []
    for _, *values, headline in rows:
        if values[0] is None:  # the count alone: no article on this page
            continue
        article = Article.from_db(connection.alias, RESULT_COLUMNS, values)
        article.headline = headline
        articles.append(article)
    return rows[0][0], articles
