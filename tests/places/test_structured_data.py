"""JSON-LD names what an article is about: ``about`` and ``contentLocation``."""

import json

import pytest

from ..articles.test_structured_data import head_of
from ..factories import ActorFactory, ArticleFactory

pytestmark = pytest.mark.django_db


def test_json_ld_carries_the_articles_countries_regions_and_actors(client):
    leader = ActorFactory(name="A Head of State", slug="head-of-state", kind="leader")
    opec = ActorFactory(name="OPEC", slug="opec", kind="organisation")
    article = ArticleFactory(
        published=True, countries=["ru", "ir"], regions=["gulf"], actors=[leader, opec]
    )

    (script,) = head_of(client.get(article.get_absolute_url())).scripts
    data = json.loads(script)

    about = {(thing["@type"], thing["name"]) for thing in data["about"]}
    assert about == {
        ("Country", "Russia"),
        ("Country", "Iran"),
        ("Place", "Gulf"),
        ("Person", "A Head of State"),
        ("Organization", "OPEC"),
    }
    locations = {thing.get("identifier") or thing["name"] for thing in data["contentLocation"]}
    assert locations == {"RU", "IR", "Gulf"}
    russia = next(t for t in data["contentLocation"] if t.get("identifier") == "RU")
    assert russia["url"] == "http://testserver/countries/ru/"


def test_an_article_about_nothing_in_particular_claims_no_place(client):
    article = ArticleFactory(published=True)
    (script,) = head_of(client.get(article.get_absolute_url())).scripts
    data = json.loads(script)
    assert "about" not in data and "contentLocation" not in data
