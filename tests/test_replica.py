"""Public reads from a replica; writes, the admin and a client that just wrote on the primary.

There is no replication here: the "replica" is a second PostgreSQL test
database holding different rows, so that every answer shows where it was read.
"""

import copy
import json

import pytest
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Article
from comments import client as clients
from comments.models import Comment
from geopolitics.db_router import (
    PIN_COOKIE,
    REPLICA,
    PrimaryReplicaRouter,
    reads_may_use_replica,
    replica_reads,
)

from .conftest import IN_CI
from .factories import ArticleFactory, SectionFactory
from .test_settings import manage

BOTH = ["default", REPLICA]
ROUTED_MIDDLEWARE = "geopolitics.db_router.ReplicaRoutingMiddleware"


@pytest.fixture(scope="module")
def replica_database(django_db_setup, django_db_blocker):
    """A second test database beside the primary's, migrated, under the alias ``replica``."""
    if connection.vendor != "postgresql":
        message = "needs PostgreSQL: set DATABASE_URL (see README)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    primary = connections["default"].settings_dict
    replica = copy.deepcopy(primary)
    replica["NAME"] = replica["TEST"]["NAME"] = f"{primary['NAME']}_replica"
    connections.settings[REPLICA] = replica  # the same dict as settings.DATABASES
    with django_db_blocker.unblock():
        original_name = connections[REPLICA].creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        yield
        connections[REPLICA].creation.destroy_test_db(original_name, verbosity=0)
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def routed(settings, replica_database):
    """What settings.py switches on with DATABASE_REPLICA_URL."""
    settings.DATABASE_ROUTERS = ["geopolitics.db_router.PrimaryReplicaRouter"]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(1, ROUTED_MIDDLEWARE)
    settings.MIDDLEWARE = middleware
    settings.DATABASE_REPLICA_PIN_SECONDS = 5
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0


def copy_to_replica(*objects):
    for obj in objects:
        obj.save(using=REPLICA)


def article_in_both(*, primary_title, replica_title, slug="dispatch"):
    """One article, published, whose title differs between the two databases."""
    article = ArticleFactory(published=True, slug=slug, title=primary_title)
    section = SectionFactory(article=article, heading="Context")
    copy_to_replica(article.author, article, section)
    Article.objects.using(REPLICA).filter(pk=article.pk).update(title=replica_title)
    return Article.objects.using("default").get(pk=article.pk)


def post_comment(client, article, body="I think the analysis misses the fisheries."):
    return client.post(
        reverse("comments:post", args=[article.slug]),
        {
            "name": "Reader",
            "email": "reader@example.org",
            "body": body,
            "token": clients.issue_form_token(),
        },
    )


@pytest.mark.postgres
@pytest.mark.django_db(databases=BOTH)
def test_a_public_page_reads_from_the_replica(routed, client):
    article_in_both(primary_title="Primary copy", replica_title="Replica copy")

    page = client.get("/articles/dispatch/")

    assert page.status_code == 200
    assert "Replica copy" in page.text
    assert "Primary copy" not in page.text


@pytest.mark.postgres
@pytest.mark.django_db(databases=BOTH)
def test_an_article_only_on_the_replica_is_public_but_unknown_to_the_admin(
    routed, client, admin_client
):
    article = ArticleFactory(published=True, slug="only-replica", title="Seen from the replica")
    copy_to_replica(article.author, article)
    Article.objects.using("default").filter(pk=article.pk).delete()

    assert client.get("/articles/only-replica/").status_code == 200
    changelist = admin_client.get(reverse("admin:articles_article_changelist"))
    assert changelist.status_code == 200
    assert "Seen from the replica" not in changelist.text


@pytest.mark.postgres
@pytest.mark.django_db(databases=BOTH)
def test_the_admin_reads_the_primary(routed, admin_client):
    article_in_both(primary_title="Primary copy", replica_title="Replica copy")

    changelist = admin_client.get(reverse("admin:articles_article_changelist"))

    assert "Primary copy" in changelist.text
    assert "Replica copy" not in changelist.text


@pytest.mark.postgres
@pytest.mark.django_db(databases=BOTH)
def test_after_posting_a_comment_the_same_reader_reads_the_primary(routed, client):
    article = article_in_both(primary_title="Primary copy", replica_title="Replica copy")

    response = post_comment(client, article)

    assert response.status_code == 302
    assert Comment.objects.using("default").filter(article=article).count() == 1
    assert not Comment.objects.using(REPLICA).exists()
    pin = response.cookies[PIN_COOKIE]
    assert pin["max-age"] == 5
    assert pin["httponly"]
    follow_up = client.get(response["Location"])
    assert "Primary copy" in follow_up.text
    assert "Thank you — your comment is awaiting moderation." in follow_up.text


@pytest.mark.postgres
@pytest.mark.django_db(databases=BOTH)
def test_another_reader_still_reads_the_replica_after_someone_posts(routed, client):
    article = article_in_both(primary_title="Primary copy", replica_title="Replica copy")
    post_comment(client, article)

    assert "Replica copy" in Client().get("/articles/dispatch/").text


@pytest.mark.postgres
@pytest.mark.django_db(databases=BOTH)
def test_a_refused_comment_also_pins_the_reader_to_the_primary(routed, client):
    """Any POST may have written (a spent form token, a rate count): pin either way."""
    article = article_in_both(primary_title="Primary copy", replica_title="Replica copy")

    response = post_comment(client, article, body="")

    assert response.status_code == 400
    assert PIN_COOKIE in response.cookies


@pytest.mark.postgres
@pytest.mark.django_db(databases=BOTH)
def test_code_outside_a_request_reads_and_writes_the_primary(routed):
    """Commands, the task worker and the shell never see a lagging copy."""
    article = article_in_both(primary_title="Primary copy", replica_title="Replica copy")

    assert Article.objects.get(pk=article.pk).title == "Primary copy"
    with replica_reads():
        assert Article.objects.get(pk=article.pk).title == "Replica copy"
        ArticleFactory(slug="written-in-a-public-request")
    assert Article.objects.using("default").filter(slug="written-in-a-public-request").exists()
    assert not Article.objects.using(REPLICA).filter(slug="written-in-a-public-request").exists()


def test_migrations_run_on_the_primary_only():
    router = PrimaryReplicaRouter()

    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate(REPLICA, "articles")


methods = st.sampled_from(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])
paths = st.one_of(
    st.builds(lambda tail: "/admin/" + tail, st.text(alphabet="abcdefghij/-_0123456789")),
    st.builds(lambda tail: "/articles/" + tail, st.text(alphabet="abcdefghij/-_0123456789")),
)


@given(method=methods, path=paths, pinned=st.booleans())
def test_only_safe_public_requests_from_unpinned_clients_may_read_the_replica(method, path, pinned):
    request = RequestFactory().generic(method, path)
    if pinned:
        request.COOKIES[PIN_COOKIE] = "1"

    allowed = reads_may_use_replica(request)

    expected = method in {"GET", "HEAD", "OPTIONS"} and not path.startswith("/admin/")
    assert allowed == (expected and not pinned)


def test_database_replica_url_adds_the_replica_the_router_and_the_middleware():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; import json; print(json.dumps(["
        "settings.DATABASES['replica']['NAME'], settings.DATABASES['replica']['HOST'], "
        "settings.DATABASE_ROUTERS, settings.MIDDLEWARE]))",
        DEBUG="true",
        DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/geopolitics",
    )
    assert result.returncode == 0, result.stderr
    name, host, routers, middleware = json.loads(result.stdout.strip().splitlines()[-1])
    assert (name, host) == ("geopolitics", "replica.internal")
    assert routers == ["geopolitics.db_router.PrimaryReplicaRouter"]
    position = middleware.index(ROUTED_MIDDLEWARE)
    assert position < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert position < middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")


def test_without_a_replica_there_is_no_router():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(sorted(settings.DATABASES), "
        "settings.DATABASE_ROUTERS)",
        DEBUG="true",
        DATABASE_REPLICA_URL="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['default'] []"
