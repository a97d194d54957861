"""
The article a comment is posted to, with what the post needs, in one written-out statement.

A post is the path a crowd takes (issue 8). Built by the ORM, the article
query with its three subqueries (strict mode, the sender's standing, the
early duplicate check) cost about 2.5 ms of Python to build and compile on
every post: a third of a post's own time, for a statement whose text never
changes. Here the text is written once, for SQLite and PostgreSQL alike, and
a post only binds its values.

It repeats rules the ORM holds elsewhere, each named where it is used:
``ArticleQuerySet.published()`` (a public state whose time has come),
``StrictModeQuerySet.active()`` (begun and not yet ended),
``Commenter.objects.for_email`` (the address as ``normalise_email`` spells it)
and ``posting.is_duplicate`` (the same words from the same address in any
case within ``COMMENTS_DUPLICATE_WINDOW``). tests/comments/test_post_query.py
holds the statement to each of them.
"""

import datetime
import functools

from django.db import connection
from django.utils import timezone

from articles.models import Article

from . import policy
from .models import Comment, Commenter, StrictMode, normalise_email

# The article's fields a post reads (comments_are_open, the redirect), in the model's
# order, as Model.from_db takes them.
FIELDS = tuple(
    field.attname
    for field in Article._meta.concrete_fields
    if field.attname in {"id", "slug", "status", "published_at", "comments_open"}
)

_STATEMENT = """
SELECT {fields},
    EXISTS(
        SELECT 1 FROM {strict_mode} AS period
        WHERE period.article_id = article.id AND period.since <= %(now)s
            AND (period.until IS NULL OR period.until > %(now)s)
    ) AS strict,
    COALESCE(
        (SELECT commenter.standing FROM {commenter} AS commenter
         WHERE commenter.email = %(normalised_email)s AND %(normalised_email)s <> ''),
        %(normal)s
    ) AS sender_standing,
    EXISTS(
        SELECT 1 FROM {comment} AS earlier
        WHERE UPPER(earlier.email) = UPPER(%(email)s) AND earlier.body = %(body)s
            AND earlier.created_at >= %(since)s AND %(email)s <> '' AND %(body)s <> ''
    ) AS sent_before
FROM {article} AS article
WHERE article.slug = %(slug)s AND article.status IN ({public_states})
    AND article.published_at <= %(now)s
"""


@functools.cache
def _statement():
    return _STATEMENT.format(
        fields=", ".join(f"article.{name}" for name in FIELDS),
        strict_mode=StrictMode._meta.db_table,
        commenter=Commenter._meta.db_table,
        comment=Comment._meta.db_table,
        article=Article._meta.db_table,
        public_states=", ".join(f"%(state_{n})s" for n in range(len(Article.PUBLIC_STATES))),
    )


def article_taking_post(slug, *, sender_email="", body=""):
    """The published article at ``slug`` (only ``FIELDS``), or ``None``, with ``strict``
    (strict mode is on for it), ``sender_standing`` (of ``sender_email``) and
    ``sent_before`` (``posting.is_duplicate`` of ``sender_email`` and ``body``).

    The address and words are as posted, not yet validated, and are looked up
    stripped, as the form will clean them. Those PostgreSQL cannot take (too
    long to be valid, a NUL byte) are not looked up: their ``sender_standing``
    or ``sent_before`` is ``None``, for the caller to ask again of what the form
    accepts, never a "normal" or "not sent before" that nobody checked.
    """
    if len(slug) > 200 or "\x00" in slug:
        return None
    email, body = sender_email.strip(), body.strip()
    email_unread = len(email) > 254 or "\x00" in email
    body_unread = len(body) > 5000 or "\x00" in body
    now = timezone.now()
    window = datetime.timedelta(seconds=policy.current().duplicate_window)
    params = {
        "slug": slug,
        "now": _moment(now),
        "since": _moment(now - window),
        "normalised_email": "" if email_unread else normalise_email(email),
        "normal": Commenter.Standing.NORMAL.value,
        "email": "" if email_unread or body_unread else email,
        "body": "" if email_unread or body_unread else body,
        **{f"state_{n}": str(state) for n, state in enumerate(Article.PUBLIC_STATES)},
    }
    with connection.cursor() as cursor:
        cursor.execute(_statement(), params)
        row = cursor.fetchone()
    if row is None:
        return None
    *values, strict, standing, sent_before = row
    article = Article.from_db(connection.alias, FIELDS, _converted(values))
    article.strict = bool(strict)
    article.sender_standing = None if email_unread else standing
    article.sent_before = None if email_unread or body_unread else bool(sent_before)
    return article


def _moment(value):
    """A datetime as the database takes it (SQLite stores text)."""
    return connection.ops.adapt_datetimefield_value(value)


def _converted(values):
    """The row's values as the ORM gives them (SQLite's datetimes come back as text, its
    booleans as numbers)."""
    converted = []
    for name, value in zip(FIELDS, values, strict=True):
        field = Article._meta.get_field(name)
        expression = field.get_col(Article._meta.db_table)
        for converter in connection.ops.get_db_converters(expression):
            value = converter(value, expression, connection)
        converted.append(value)
    return converted
