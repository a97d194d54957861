"""Region, country, actor and world pages: what they list, and what they never leak."""

import re

import pytest

from articles import publishing
from places.models import Region

from ..factories import ActorFactory, ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def russia_and_iran():
    return ArticleFactory(
        published=True, title="Oil, sanctions and the Caspian", countries=["ru", "IR"]
    )


def test_an_article_about_russia_and_iran_is_on_both_countries_and_both_regions(
    client, russia_and_iran
):
    for url in ["/countries/ru/", "/countries/ir/", "/regions/eurasia/", "/regions/middle-east/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert russia_and_iran.title in response.content.decode(), url
    assert russia_and_iran.title not in client.get("/regions/europe/").content.decode()


def test_the_coverage_map_links_both_countries_and_its_text_list_links_work(
    client, russia_and_iran
):
    page = client.get("/world/").content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'href="/countries/ru/"' in svg
    assert 'href="/countries/ir/"' in svg
    assert 'href="/countries/fr/"' not in svg  # only covered countries are links
    listed = page[page.index('id="coverage-list-heading"') :]
    links = re.findall(r'<a href="(/countries/[a-z]{2}/)">', listed)
    assert sorted(links) == ["/countries/ir/", "/countries/ru/"]
    for link in links:
        assert client.get(link).status_code == 200


def test_a_place_page_has_an_accessible_map_without_inline_styles(client, russia_and_iran):
    page = client.get("/countries/ru/").content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert 'class="map-land map-highlight"' in svg
    assert "style" not in svg and "<script" not in svg


def test_a_region_page_lists_articles_about_its_sub_regions_and_their_countries(client):
    about_gulf = ArticleFactory(published=True, regions=["gulf"])
    about_saudi = ArticleFactory(published=True, countries=["sa"])
    page = client.get("/regions/middle-east/").content.decode()
    assert about_gulf.title in page
    assert about_saudi.title in page
    assert about_saudi.title not in client.get("/regions/eurasia/").content.decode()


def test_region_and_country_pages_exist_without_coverage(client):
    for url in ["/regions/oceania/", "/countries/fj/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "No analysis yet." in response.content.decode()


def test_an_upper_case_code_redirects_and_an_unknown_one_is_404(client):
    response = client.get("/countries/RU/")
    assert response.status_code == 301
    assert response["Location"] == "/countries/ru/"
    assert client.get("/countries/zz/").status_code == 404
    assert client.get("/countries/zz/feed/").status_code == 404
    assert client.get("/regions/atlantis/").status_code == 404


def test_an_actor_page_exists_only_while_a_published_article_is_about_it(client):
    opec = ActorFactory(name="OPEC", slug="opec")
    draft = ArticleFactory(actors=[opec])
    assert client.get("/actors/opec/").status_code == 404
    assert client.get("/actors/opec/feed/").status_code == 404
    publishing.publish(draft)
    response = client.get("/actors/opec/")
    assert response.status_code == 200
    assert draft.title in response.content.decode()
    assert client.get("/actors/opec/feed/atom/").status_code == 200


def test_drafts_make_no_page_list_a_place(client):
    secret = ActorFactory(name="Secretive Holdings", slug="secretive-holdings")
    ArticleFactory(title="Draft about Chad", countries=["td"], actors=[secret])
    ArticleFactory(in_review=True, title="Review about Chad", countries=["td"])
    ArticleFactory(scheduled=True, title="Scheduled about Chad", countries=["td"])
    for url in ["/world/", "/countries/td/", "/regions/sub-saharan-africa/", "/countries/td/feed/"]:
        page = client.get(url).content.decode()
        assert "about Chad" not in page, url
        assert "Secretive Holdings" not in page, url
    world = client.get("/world/").content.decode()
    assert 'href="/countries/td/"' not in world


def test_most_discussed_counts_approved_comments_only(client):
    quiet = ArticleFactory(published=True, title="Quiet piece", countries=["ru"])
    busy = ArticleFactory(published=True, title="Busy piece", countries=["ru"])
    CommentFactory.create_batch(2, article=busy, approved=True)
    CommentFactory.create_batch(5, article=quiet)  # pending: not counted
    CommentFactory.create_batch(3, article=quiet, spam=True)
    page = client.get("/countries/ru/").content.decode()
    discussed = page[page.index('id="discussed-heading"') :]
    assert "Busy piece" in discussed
    assert "2 comments" in discussed
    assert "Quiet piece" not in discussed


def test_a_country_page_names_its_neighbours_with_coverage_and_co_occurring_actors(client):
    nato = ActorFactory(name="NATO", slug="nato", kind="alliance")
    ArticleFactory(published=True, countries=["no", "fi"], actors=[nato])
    page = client.get("/countries/no/").content.decode()
    assert 'href="/countries/fi/"' in page
    assert 'href="/actors/nato/"' in page


def test_the_article_page_names_its_places_as_links(client):
    opec = ActorFactory(name="OPEC", slug="opec")
    article = ArticleFactory(
        published=True, countries=["ru", "ir"], regions=["gulf"], actors=[opec]
    )
    page = client.get(article.get_absolute_url()).content.decode()
    about = page[page.index('class="about-places') :]
    about = about[: about.index("</p>")]
    for link in ["/countries/ru/", "/countries/ir/", "/regions/gulf/", "/actors/opec/"]:
        assert f'href="{link}"' in about


def test_the_header_links_top_level_regions(client, russia_and_iran):
    for url in ["/", "/world/", russia_and_iran.get_absolute_url()]:
        page = client.get(url).content.decode()
        nav = page[page.index('class="region-nav"') :]
        assert 'href="/regions/middle-east/"' in nav, url
        assert 'href="/regions/gulf/"' not in nav[: nav.index("</nav>")], url


def test_renaming_a_region_shows_on_the_next_request(admin_client, client, settings):
    settings.PAGE_CACHE_ENABLED = True
    assert "Middle East" in client.get("/world/").content.decode()
    region = Region.objects.get(slug="middle-east")
    response = admin_client.post(
        f"/admin/places/region/{region.pk}/change/",
        {
            "name": "Near East",
            "slug": "middle-east",
            "parent": "",
            "order": 30,
            "description": "",
            "countries-TOTAL_FORMS": "0",
            "countries-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get("/world/").content.decode()
    assert "Near East" in page


def test_the_sitemap_lists_place_pages_with_coverage_only(client):
    opec = ActorFactory(name="OPEC", slug="opec")
    ArticleFactory(published=True, countries=["sa"], actors=[opec])
    ArticleFactory(countries=["td"], actors=[ActorFactory(slug="draft-only")])
    sitemap = client.get("/sitemap.xml").content.decode()
    for url in ["/countries/sa/", "/regions/gulf/", "/regions/middle-east/", "/actors/opec/"]:
        assert f"http://testserver{url}<" in sitemap, url
    for url in ["/countries/td/", "/regions/sub-saharan-africa/", "/actors/draft-only/"]:
        assert f"http://testserver{url}<" not in sitemap, url


def test_the_demo_articles_are_about_places_with_pages(client):
    from django.core.management import call_command

    call_command("loaddemo", stdout=__import__("io").StringIO())
    arctic = client.get("/regions/arctic/").content.decode()
    assert "The long thaw" in arctic
    assert "The long thaw" in client.get("/countries/no/").content.decode()
    assert client.get("/actors/arctic-council/").status_code == 200
    world = client.get("/world/").content.decode()
    assert 'href="/countries/tw/"' in world and 'href="/countries/et/"' in world


def test_the_header_regions_cost_one_query_per_generation_not_per_page(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ArticleFactory(published=True, tags=["Sea"])
    with CaptureQueriesContext(connection) as first:
        client.get("/tags/sea/")
    with CaptureQueriesContext(connection) as later:
        client.get("/search/?q=sea")
        client.get("/tags/sea/?page=1")
    assert any("places_region" in query["sql"] for query in first)
    assert not any("places_region" in query["sql"] for query in later)
