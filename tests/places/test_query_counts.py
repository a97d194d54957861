"""Place pages cost the same number of queries whatever the number of articles about them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..factories import ActorFactory, ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

PAGES = ["/countries/{code}/", "/regions/{region}/", "/actors/{actor}/", "/world/"]


def build(code, region, actor_slug, articles):
    actor = ActorFactory(slug=actor_slug)
    others = [ActorFactory() for _ in range(3)]
    for n in range(articles):
        article = ArticleFactory(
            published=True,
            countries=[code, "fr" if n % 2 else "de"],
            regions=[region] if n % 3 == 0 else [],
            actors=[actor, others[n % 3]],
            tags=[f"tag {n}", "shared"],
        )
        CommentFactory.create_batch(n % 3, article=article, approved=True)
        CommentFactory(article=article)  # pending
    ArticleFactory(countries=[code], actors=[actor])  # a draft: never counted
    return {"code": code, "region": region, "actor": actor_slug}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_a_place_page_costs_the_same_queries_with_one_article_or_thirty(client, settings, page):
    settings.PAGE_CACHE_ENABLED = False
    small = build("ru", "eurasia", "small-actor", articles=1)
    large = build("ir", "middle-east", "large-actor", articles=30)

    small_count = count_queries(client, page.format(**small))
    large_count = count_queries(client, page.format(**large))

    assert large_count <= small_count <= 12


def test_once_rendered_the_world_map_costs_no_query_until_content_changes(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    build("ru", "eurasia", "an-actor", articles=3)
    client.get("/world/")
    assert count_queries(client, "/world/") == 0  # the whole page, from the cache
    with CaptureQueriesContext(connection) as queries:
        client.get("/world/?page=1")  # rendered again: the map and the header from the cache
    assert queries, "the page itself was rendered"
    assert not any("articles_article" in q["sql"] for q in queries)
