"""
What a reader's search query becomes before it reaches the database.

Every term costs the database a scan of titles, sections, tags and authors,
so the work per query is bounded here, whatever backend runs it: at most
``MAX_TERMS`` terms of at least ``MIN_TERM_LENGTH`` characters, from at most
``MAX_QUERY_LENGTH`` characters, with NUL and other control characters
dropped (PostgreSQL refuses NUL in text). On PostgreSQL a statement timeout
bounds the time too (``time_limit``).
"""

import contextlib
import unicodedata
from dataclasses import dataclass, field

from django.db import connection, transaction

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MIN_TERM_LENGTH = 2
TIME_LIMIT_MS = 2000


@dataclass(frozen=True)
class SearchQuery:
    text: str
    terms: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def is_empty(self):
        return not self.terms


def _printable(text):
    return "".join(
        " " if unicodedata.category(char) in {"Cc", "Cs", "Zl", "Zp"} else char for char in text
    )


def search_query(raw):
    """Clean and bound what the reader typed; see the module docstring."""
    text = " ".join(_printable(raw or "").split())[:MAX_QUERY_LENGTH]
    terms, ignored = [], []
    for word in text.split():
        if (
            len(word) < MIN_TERM_LENGTH
            or len(terms) == MAX_TERMS
            or word.casefold() in {t.casefold() for t in terms}
        ):
            ignored.append(word)
        else:
            terms.append(word)
    return SearchQuery(text=text, terms=terms, ignored=ignored)


@contextlib.contextmanager
def time_limit(milliseconds=None):
    """Cancel a search that runs longer than ``milliseconds`` (PostgreSQL only).

    Raises ``django.db.OperationalError`` when the limit is reached.
    """
    if connection.vendor != "postgresql":
        yield
        return
    milliseconds = TIME_LIMIT_MS if milliseconds is None else milliseconds
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [int(milliseconds)])
        yield


QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement timeout


def was_cancelled(error):
    """True when ``error`` is the time limit firing, not the database being down."""
    return getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED
