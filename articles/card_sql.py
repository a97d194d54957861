"""
Search result cards' rows on PostgreSQL in one statement, written out rather than built by the ORM.

A search nobody made before mostly finds articles whose cards
(``articles.result_cards``) are not rendered yet. Built by the ORM
(``ArticleQuerySet.for_results()``), their rows took two statements (the
articles with their authors and reading time, then their tags) and about
2.3 ms of Python for a page of ten, most of it compiling and building model
instances, on two cores where every millisecond is one fewer search a second
(issue 8). Here the same rows are one statement with the tags as a JSON
array.

It repeats two rules of the ORM's: what readers may see is
``ArticleQuerySet.published()`` (``articles.search_sql.PUBLISHED``, shared with
the search statement), and the reading time's words are ``with_word_count()``
(the standfirst's and the sections'). tests/articles/test_result_cards.py
holds the rows to ``for_results()``'s.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from taggit.models import Tag

from . import search_sql
from .models import Article, Author


def _in_model_order(model, names):
    """``names`` in the order of ``model``'s concrete fields, as ``Model.from_db`` reads them."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


ARTICLE_COLUMNS = _in_model_order(
    Article,
    {"id", "title", "slug", "standfirst", "standfirst_word_count", "author_id"}
    | {"status", "published_at"},
)
AUTHOR_COLUMNS = _in_model_order(Author, {"id", "name", "slug"})
TAG_COLUMNS = _in_model_order(Tag, {"id", "name", "slug"})

# Column names from the models' own metadata; the reader's nothing but parameters.
CARDS_STATEMENT = """
SELECT {article_columns},
    article.standfirst_word_count + coalesce((
        SELECT sum(section.word_count) FROM articles_section AS section
        WHERE section.article_id = article.id
    ), 0),
    json_build_array({author_columns}),
    (
        SELECT coalesce(json_agg(json_build_array({tag_columns})), '[]')
        FROM taggit_taggeditem AS tagged JOIN taggit_tag AS tag ON tag.id = tagged.tag_id
        WHERE tagged.content_type_id = %(article_type)s AND tagged.object_id = article.id
    )
FROM articles_article AS article JOIN articles_author AS author ON author.id = article.author_id
WHERE article.id = ANY(%(ids)s) AND {published}
""".format(  # noqa: S608
    article_columns=", ".join(f"article.{name}" for name in ARTICLE_COLUMNS),
    author_columns=", ".join(f"author.{name}" for name in AUTHOR_COLUMNS),
    tag_columns=", ".join(f"tag.{name}" for name in TAG_COLUMNS),
    published=search_sql.PUBLISHED.format(table="article"),
)


def card_articles(ids):
    """The published articles among ``ids``, each with its ``author`` (name and slug),
    ``word_count`` and ``tag_list``: what a card shows, as ``for_results()``
    gives it, in one statement. Other fields are deferred."""
    params = {
        **search_sql.published_params(),
        "ids": list(ids),
        "article_type": ContentType.objects.get_for_model(Article).pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(CARDS_STATEMENT, params)
        rows = cursor.fetchall()
    alias = connection.alias
    articles = []
    for *values, word_count, author, tags in rows:
        article = Article.from_db(alias, ARTICLE_COLUMNS, values)
        article.word_count = word_count
        article.author = Author.from_db(alias, AUTHOR_COLUMNS, author)
        article.tag_list = [Tag.from_db(alias, TAG_COLUMNS, tag) for tag in tags]
        articles.append(article)
    return articles
