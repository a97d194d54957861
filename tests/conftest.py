import os

import pytest
from django.db import connection

from .factories import ArticleFactory, AuthorFactory, SectionFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Test-only speed-ups, and uploads kept out of the working tree.

    Tasks run at once, in the process that enqueues them (still only after the
    commit), so tests need no worker; tests/comments/test_tasks.py runs the
    real database queue and its worker. No waiting between mail retries.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.COMMENTS_MAIL_RETRY_DELAY = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _require_postgres(request):
    """Tests marked ``postgres`` need PostgreSQL: skipped locally, a failure in CI."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        message = "needs PostgreSQL: set DATABASE_URL (see README)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def author(db):
    return AuthorFactory(name="Mara Lindqvist", slug="mara-lindqvist")


@pytest.fixture
def published_article(db, author):
    article = ArticleFactory(
        published=True,
        author=author,
        title="Ice, shipping and sovereignty",
        slug="ice-shipping-sovereignty",
        tags=["Arctic", "Shipping"],
    )
    SectionFactory(article=article, heading="The thaw", position=1)
    SectionFactory(article=article, heading="New routes", position=2, nested=True)
    SectionFactory(article=article, heading="Who decides", position=3)
    return article


@pytest.fixture
def draft_article(db, author):
    article = ArticleFactory(author=author, title="Unfinished thoughts", slug="unfinished")
    SectionFactory(article=article, heading="Notes")
    return article
