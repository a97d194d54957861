"""Upper-case country addresses redirect whole; place descriptions fit a search result."""

import html
import re

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from places.models import Region
from places.templatetags.places_tags import meta_description

from ..factories import ActorFactory, ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, location",
    [
        ("/countries/RU/?page=2", "/countries/ru/?page=2"),
        ("/countries/Ru/", "/countries/ru/"),
        ("/countries/RU/feed/", "/countries/ru/feed/"),
        ("/countries/RU/feed/atom/", "/countries/ru/feed/atom/"),
        ("/countries/IR/feed/?utm_source=reader", "/countries/ir/feed/?utm_source=reader"),
    ],
)
def test_an_upper_case_country_address_redirects_to_lower_case_keeping_the_query(
    client, url, location
):
    response = client.get(url)

    assert response.status_code == 301
    assert response["Location"] == location
    if "page=" not in location:
        assert client.get(location).status_code == 200


def test_page_two_of_a_country_is_reached_through_the_upper_case_address(client):
    for n in range(settings.ARTICLES_PER_PAGE + 1):
        ArticleFactory(published=True, title=f"Caspian note {n}", countries=["ru"])

    response = client.get("/countries/RU/?page=2", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [("/countries/ru/?page=2", 301)]
    assert response.context["page_obj"].number == 2


def description(client, url):
    found = re.search(
        r'<meta name="description" content="([^"]*)">', client.get(url).content.decode()
    )
    return html.unescape(found.group(1))


LONG = (
    "The Gulf monarchies balance between Washington and Beijing, buy arms from both, "
    "sell oil to whoever pays, and mediate wars they once financed, while their own "
    "populations grow younger and their aquifers older."
)


def test_long_region_and_actor_descriptions_are_cut_on_a_word_for_search_results(client):
    Region.objects.filter(slug="gulf").update(description=LONG)
    opec = ActorFactory(name="OPEC", slug="opec", description=LONG)
    ArticleFactory(published=True, actors=[opec])

    for url in ["/regions/gulf/", "/actors/opec/"]:
        text = description(client, url)
        assert len(text) <= 160, url
        assert text.endswith("…"), url
        assert LONG.startswith(text[:-1]), url
        assert LONG[len(text) - 1] in " ,", f"{url}: cut mid-word"


def test_a_short_description_is_kept_whole(client):
    Region.objects.filter(slug="gulf").update(description="The Gulf states.")
    assert description(client, "/regions/gulf/") == "The Gulf states."


@given(st.text(max_size=400))
def test_a_meta_description_is_short_and_a_prefix_cut_on_a_word(text):
    flat = " ".join(text.split())

    cut = meta_description(text)

    assert len(cut) <= 160
    if len(flat) <= 160:
        assert cut == flat
    else:
        assert cut.endswith("…")
        kept = cut[:-1]
        assert flat.startswith(kept)
        if " " in flat[:159]:
            assert flat[len(kept)] in " ,;:", "cut on a word boundary"
