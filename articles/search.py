"""
What a reader's search query becomes before it reaches the database.

Every term costs the database a scan of titles, sections, tags and authors,
so the work per query is bounded here, whatever backend runs it: at most
``MAX_TERMS`` terms of at least ``MIN_TERM_LENGTH`` letters or digits, from
at most ``MAX_QUERY_LENGTH`` characters, in Unicode's compatibility form,
with NUL and other control characters dropped (PostgreSQL refuses NUL in
text) and invisible format characters removed. On PostgreSQL a statement timeout
bounds the time too (``time_limit``).

On PostgreSQL, articles are found through ``Article.search_vector``: the
title (weight A), standfirst (B), section headings and tags (C), and the
section text readers see plus the author's name (D), stemmed in English and
GIN-indexed. Results are ranked on ``Article.rank_vector``, the A to C part
alone: ranking a whole article's vector, kilobytes of it, for thousands
of matches of a common word took seconds on 100,000 articles. Both are kept
in the row (migrations 0008 and 0010), so testing and ranking a match reads
nothing from TOAST storage. So a match in the title
outranks the standfirst, then headings and tags; matches in the text alone
rank equal and come newest first. Both are written by
``refresh_search_vector()``, which whoever saves an article's text or
sections calls (the admin, the importer, the demo loader;
``manage.py rebuild_search_index`` for every row). SQLite keeps the columns
NULL and matches substrings instead (``ArticleQuerySet.matching``).
"""

import contextlib
import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import page_cache, search_sql
from .models import SEARCH_CONFIG, Article, Author, Section

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MIN_TERM_LENGTH = 2
TIME_LIMIT_MS = 2000
# What a page of results reads of each article besides its snippet; the rest of
# a result is its card (articles.result_cards), rendered once for all searches.
RESULT_FIELDS = ("pk", "title", "slug")


@dataclass(frozen=True)
class SearchQuery:
    text: str
    terms: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def is_empty(self):
        return not self.terms


def _printable(text):
    """``text`` in compatibility form (full-width letters are letters), control characters
    made spaces, and invisible format characters (zero-width spaces, soft hyphens,
    direction overrides) dropped: none of them is in what articles are indexed by."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        " " if category in {"Cc", "Cs", "Zl", "Zp"} else char
        for char, category in ((char, unicodedata.category(char)) for char in text)
        if category != "Cf"
    )


def search_query(raw):
    """Clean and bound what the reader typed; see the module docstring.

    A word counts by its letters and digits (``'1'`` is as short as ``1``); a
    word typed twice is searched once and is not "left out". ``or`` and the words
    of a quoted phrase are the reader's syntax, kept however often they come:
    "chip or arctic or nile" asks for any of three.
    """
    text = " ".join(_printable(raw or "").split())[:MAX_QUERY_LENGTH]
    terms, ignored = [], []
    for word in text.split():
        syntax = word.casefold() == "or" or '"' in word
        if not syntax and word.casefold() in {t.casefold() for t in terms}:
            continue
        if sum(char.isalnum() for char in word) < MIN_TERM_LENGTH or len(terms) == MAX_TERMS:
            ignored.append(word)
        else:
            terms.append(word)
    return SearchQuery(text=text, terms=terms, ignored=ignored)


@contextlib.contextmanager
def time_limit(milliseconds=None):
    """Cancel a search that runs longer than ``milliseconds`` (PostgreSQL only).

    Raises ``django.db.OperationalError`` when the limit is reached. Inside,
    the planner also avoids sequential scans: it cannot see that a scan
    unpacks every article's search vector from TOAST storage, and chose one
    for a common word that the GIN index answered more than ten times faster
    (bench/search_plan.py). It plans no parallel workers, whose Parallel
    Append would run ``SearchPaginator``'s periods out of order. And a search
    statement the connection has prepared (settings.POSTGRESQL_OPTIONS) is
    still planned for the reader's words, never with a generic plan: the GIN
    index needs the words' tsquery as a constant.
    """
    if connection.vendor != "postgresql":
        yield
        return
    milliseconds = TIME_LIMIT_MS if milliseconds is None else milliseconds
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true),"
                " set_config('enable_seqscan', 'off', true),"
                " set_config('max_parallel_workers_per_gather', '0', true),"
                " set_config('plan_cache_mode', 'force_custom_plan', true)",
                [str(int(milliseconds))],
            )
        yield


class SearchPaginator(Paginator):
    """Pages of ``ArticleQuerySet.searched(terms)``, built so that a common word stays cheap.

    A common word matches most of 100,000 articles, and ranking all of them
    took seconds. So the results are the newest ``COUNT_LIMIT`` matches, best
    first (nobody reads result 1,001; ``count_is_capped`` says there were
    more, and the page asks the reader to add words). On PostgreSQL one
    statement finds a page (``_ranked_page``): it walks the date index to the
    newest matches, ranks each on the short ``rank_vector`` as it passes (a
    match in the body alone ranks 0, so those follow, newest first, as
    ``searched()`` orders them), counts them with a window function and reads
    that page's rows with their snippets. The rest of each result is its card
    (``articles.result_cards``), shared by all searches.
    """

    COUNT_LIMIT = 1000

    def __init__(self, object_list, per_page, *, terms=(), **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.terms = terms

    # Newest first, the matches are looked for in these periods back from now, one
    # after the other, until there are enough (the last period has no end). The
    # first is long enough for a common word to fill the page walking the date
    # index: with 30 days, the planner met 1,000 expected matches with the GIN
    # index, and the median search took three times as long (bench, 100,000 articles).
    PERIODS = (
        datetime.timedelta(days=180),
        datetime.timedelta(days=365),
        datetime.timedelta(days=3 * 365),
    )

    def page_arguments(self, number):
        """What ``search_sql.ranked_page`` (and ``page_query``) take for page ``number``."""
        bottom = (number - 1) * self.per_page
        return {
            "words": " ".join(self.terms),  # as reader_query() joins them
            "bounds": self._bounds(),
            "limit": self.COUNT_LIMIT + 1,
            "per_page": min(bottom + self.per_page, self.COUNT_LIMIT) - bottom,
            "offset": bottom,
            "snippet_chars": SNIPPET_SOURCE_CHARS,
            "snippet_options": SNIPPET_OPTIONS,
        }

    def _bounds(self):
        """The moments between the periods, newest first."""
        now = timezone.now()
        return [now - period for period in self.PERIODS]

    @property
    def _ranked(self):
        """Pages come ranked from PostgreSQL (not for no words, nor for ``none()``, which
        the view pages through when the search timed out)."""
        return (
            connection.vendor == "postgresql"
            and self.terms
            and not self.object_list.query.is_empty()
        )

    @cached_property
    def _matches(self):
        if self._ranked:  # a page was past the last result: the statement counts alone
            return search_sql.ranked_page(**{**self.page_arguments(1), "per_page": 0})[0]
        return self.object_list.order_by().values("pk")[: self.COUNT_LIMIT + 1].count()

    @cached_property
    def count(self):
        return min(self._matches, self.COUNT_LIMIT)

    @property
    def count_is_capped(self):
        return self._matches > self.COUNT_LIMIT

    def page(self, number):
        if not self._ranked:
            return super().page(number)
        found = self._ranked_page(number)
        number = self.validate_number(number)  # counts only when the page found nothing
        return self._get_page(found, number, self)

    def _ranked_page(self, number):
        """The articles of page ``number``, with their ``headline`` (none for a number that
        is not a page), in one statement (``articles.search_sql``): the newest matches
        ranked in the same pass as the walk, on the row already read, counted with a
        window function, and that page's rows with their snippets."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            return []
        bottom = (number - 1) * self.per_page
        if number < 1 or bottom >= self.COUNT_LIMIT:
            return []
        matches, articles = search_sql.ranked_page(**self.page_arguments(number))
        self.__dict__["_matches"] = matches  # seeds the cached property
        return articles


def common_words_only(terms):
    """True when PostgreSQL searches none of ``terms``: each is a word too common to be
    indexed ("the", "and"), so nothing can match. Asked only when nothing matched."""
    if connection.vendor != "postgresql" or not terms:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s)) = 0",
            [SEARCH_CONFIG, " ".join(terms)],
        )
        return cursor.fetchone()[0]


QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement timeout


def was_cancelled(error):
    """True when ``error`` is the time limit firing, not the database being down."""
    return getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED


def refresh_search_vector(article):
    """Rewrite ``article``'s stored search vector from its text, sections, tags and author.

    Call it after saving the article's sections and tags. Does nothing on
    databases other than PostgreSQL.
    """
    return refresh_search_vectors(Article.objects.filter(pk=article.pk))


def refresh_search_vectors(articles):
    """Rewrite the search vectors of each of ``articles`` in one UPDATE; return how many."""
    if connection.vendor != "postgresql":
        return 0
    heading, body = _weighted_vectors()
    return articles.order_by().update(search_vector=heading + body, rank_vector=heading)


def _aggregated(queryset, field_name):
    """One text made of ``field_name`` over ``queryset`` (rows of the outer article)."""
    return Subquery(
        queryset.order_by()
        .values("_article")
        .annotate(text=StringAgg(field_name, delimiter="\n"))
        .values("text")
    )


def _weighted_vectors():
    """The vectors of the article's short texts (weights A to C) and of its long ones (D)."""
    sections = Section.objects.filter(article=OuterRef("pk")).annotate(_article=F("article"))
    tags = Article.tags.through.objects.filter(
        object_id=OuterRef("pk"), content_type__app_label="articles", content_type__model="article"
    ).annotate(_article=F("object_id"))
    author_name = Author.objects.filter(pk=OuterRef("author")).order_by().values("name")

    def weighted(expression, weight):
        return SearchVector(expression, weight=weight, config=SEARCH_CONFIG)

    heading = (
        weighted("title", "A")
        + weighted("standfirst", "B")
        + weighted(_aggregated(sections, "heading"), "C")
        + weighted(_aggregated(tags, "tag__name"), "C")
    )
    body = weighted(_aggregated(sections, "body_text"), "D") + weighted(Subquery(author_name), "D")
    return heading, body


# ts_headline wraps each match in these. search_query() strips control
# characters from what readers type, and search_sql's snippet source strips
# them from the text, so only ts_headline can put them there.
_START, _STOP = "\x02", "\x03"
_MARKED = re.compile(f"{_START}([^{_START}{_STOP}]*){_STOP}")
SNIPPET_OPTIONS = {
    "start_sel": _START,
    "stop_sel": _STOP,
    "max_words": 35,
    "min_words": 15,
    "max_fragments": 2,
    "fragment_delimiter": " … ",  # quoted by search_sql.headline_options
}


def cache_key(*parts):
    """Reader-typed text as part of a cache key: any length, in a fixed short form."""
    return hashlib.blake2b("\n".join(map(str, parts)).encode(), digest_size=16).hexdigest()


def asked_before(key):
    """True from the second time a search (``cache_key``) is made in a page-cache generation.

    The results of a search are kept only then, so that one-off searches, or a
    stream of random ones, leave a few bytes each in the cache, not a page.
    """
    if not settings.PAGE_CACHE_ENABLED:
        return False
    try:
        marker = f"search:asked:{page_cache.generation()}:{key}"
        return not cache.add(marker, 1, timeout=settings.PAGE_CACHE_SECONDS)
    except Exception:  # the cache is down: search without it
        return False


# Snippets come from the standfirst and the first this many characters of the
# text: ts_headline parses all it is given, and whole articles made the
# snippets of one page cost ten times what the search did (issue 8).
SNIPPET_SOURCE_CHARS = 2000


def snippet(article):
    """HTML of the passages of ``article`` that match, the matches in <mark>; or None.

    None when the page query read no headline (SQLite) or when the passages
    hold no match (the words are further into the text, or only in the
    title, tags or author): the result then shows the standfirst.
    """
    headline = getattr(article, "headline", None)
    if not headline or _START not in headline:
        return None
    return highlighted(headline)


def highlighted(headline):
    """``headline`` escaped, its ts_headline markers turned into <mark> elements."""
    escaped = _MARKED.sub(r"<mark>\1</mark>", escape(headline or ""))
    return mark_safe(escaped.replace(_START, "").replace(_STOP, ""))  # noqa: S308 escaped above
