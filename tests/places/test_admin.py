"""Editors and contributors choose what an article is about; readers see it at once."""

import json

import pytest
from django.urls import reverse

from articles import revisions
from places.models import Actor, Country

from ..articles.admin_forms import article_change_data
from ..articles.desk import contributor_with_profile, staff_in
from ..factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def place_data(article, section, **places):
    data = article_change_data(article, section, body=section.body)
    data.update({name: [str(p.pk) for p in values] for name, values in places.items()})
    return data


def test_an_editor_adds_a_country_and_its_page_lists_the_article_on_the_next_request(
    client, settings
):
    settings.PAGE_CACHE_ENABLED = True
    editor = client.__class__()
    editor.force_login(staff_in("Editors", "eddie"))
    article = ArticleFactory(published=True, title="Grain through the Bosphorus")
    section = SectionFactory(article=article)
    assert article.title not in client.get("/countries/tr/").content.decode()  # now cached

    turkey = Country.objects.get(code="TR")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor.post(url, place_data(article, section, countries=[turkey]))

    assert response.status_code == 302
    assert list(article.countries.all()) == [turkey]
    assert article.title in client.get("/countries/tr/").content.decode()
    assert 'href="/countries/tr/"' in client.get("/world/").content.decode()


def test_contributors_and_editors_find_places_by_typing(client):
    user, _ = contributor_with_profile()
    client.force_login(user)
    for field, term, expected in [
        ("countries", "ira", "Iran"),
        ("regions", "gul", "Gulf"),
    ]:
        response = client.get(
            "/admin/autocomplete/",
            {"app_label": "articles", "model_name": "article", "field_name": field, "term": term},
        )
        assert response.status_code == 200, field
        names = [row["text"] for row in json.loads(response.content)["results"]]
        assert expected in names, field


def test_contributors_may_not_create_actors_but_editors_may(client):
    user, _ = contributor_with_profile()
    client.force_login(user)
    assert client.get("/admin/places/actor/add/").status_code == 403
    client.force_login(staff_in("Editors", "eddie"))
    response = client.post(
        "/admin/places/actor/add/",
        {"name": "Wagner Group", "slug": "wagner-group", "kind": "armed_group", "description": ""},
    )
    assert response.status_code == 302
    assert Actor.objects.get(slug="wagner-group").get_kind_display() == "Armed group"


def test_restoring_a_revision_brings_back_its_places():
    article = ArticleFactory(published=True, countries=["ru"], regions=["arctic"])
    old = revisions.record(article, message="About Russia")
    article.countries.set([Country.objects.get(code="NO")])
    article.regions.clear()
    revisions.record(article, message="About Norway")

    revisions.restore(article, old)

    assert [c.code for c in article.countries.all()] == ["RU"]
    assert [r.slug for r in article.regions.all()] == ["arctic"]


def test_comparing_revisions_shows_countries_added_and_removed(client):
    from articles.revision_diff import compare

    article = ArticleFactory(published=True, countries=["ru"])
    old = revisions.record(article)
    article.countries.set(Country.objects.filter(code__in=["IR"]))
    new = revisions.record(article)

    older, newer = revisions.snapshots(article, [old, new])
    (countries,) = [c for c in compare(older, newer).fields if c.label == "Countries"]
    assert [(chunk.kind, chunk.text) for chunk in countries.chunks if chunk.text != ", "] == [
        ("insert", "Iran"),
        ("delete", "Russia"),
    ]
