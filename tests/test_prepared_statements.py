"""PostgreSQL connections prepare the statements they run often (settings.POSTGRESQL_OPTIONS)."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.models import Article

from .factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_search_made_again_and_again_is_prepared_and_still_finds_the_same(settings):
    """Prepared, a search is still planned for the reader's words (time_limit forces custom
    plans); run often enough to be prepared, it finds what it found the first time."""
    settings.PAGE_CACHE_ENABLED = False  # every search reaches the database
    for n in range(3):
        article = ArticleFactory(published=True, title=f"Fisheries dispute {n}")
        SectionFactory(article=article, body="Trawlers cross the median line at night.")
    ArticleFactory(title="Fisheries draft", status=Article.Status.DRAFT)
    client = Client()
    pages = [
        client.get(reverse("articles:search"), {"q": "trawlers fisheries"}).content.decode()
        for _ in range(8)
    ]

    assert any("websearch_to_tsquery" in sql for sql in prepared_statements())
    found = [page.count('class="card card--result"') for page in pages]
    assert found == [3] * 8 and "Fisheries draft" not in pages[-1]
