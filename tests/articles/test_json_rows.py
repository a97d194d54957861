"""Child rows fetched as JSON come back as the model instances a prefetch would give."""

import datetime

import pytest
from django.db.models import OuterRef
from django.utils import timezone

from articles.json_rows import JSONRows, prefetch_rows
from articles.models import Article, Author

from ..factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

FIELDS = [field.attname for field in Article._meta.concrete_fields]


def fetch(author):
    rows = JSONRows(Article.objects.filter(author=OuterRef("pk")).values(*FIELDS))
    return Author.objects.annotate(article_rows=rows).get(pk=author.pk)


def test_rows_keep_their_types_dates_booleans_and_text():
    author = AuthorFactory()
    published = timezone.now().replace(microsecond=0) - datetime.timedelta(days=3)
    ArticleFactory(author=author, title='Zq ‘quoted’ \\ " title', published=True)
    ArticleFactory(author=author, comments_open=False, status="published", published_at=published)
    fetched = fetch(author)

    articles = prefetch_rows(fetched, "articles", Article, fetched.article_rows, order_by=["id"])

    stored = list(Article.objects.filter(author=author).order_by("id"))
    assert [a.title for a in articles] == [a.title for a in stored]
    assert [a.published_at for a in articles] == [a.published_at for a in stored]
    assert articles[1].published_at == published and articles[1].comments_open is False
    assert articles[0].comments_open is True
    assert list(fetched.articles.all()) == stored  # where templates look, with no query


def test_no_rows_is_an_empty_list(django_assert_num_queries):
    fetched = fetch(AuthorFactory())

    with django_assert_num_queries(0):
        assert (
            prefetch_rows(fetched, "articles", Article, fetched.article_rows, order_by=["id"]) == []
        )
        assert list(fetched.articles.all()) == []
