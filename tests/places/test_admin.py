"""Editors and contributors choose what an article is about; readers see it at once."""

import json

import pytest
from django.urls import reverse

from articles import revisions
from places.models import Actor, Country

from ..articles.admin_forms import article_change_data
from ..articles.desk import contributor_with_profile, staff_in
from ..factories import ActorFactory, ArticleFactory, AuthorFactory, SectionFactory

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


def test_restoring_tells_the_editor_which_places_were_deleted_since(admin_client):
    """A revision keeps only the ids of its places: those deleted since cannot come back,
    and the editor is told how many, rather than finding them silently gone."""
    kept, gone_one, gone_two = ActorFactory.create_batch(3)
    article = ArticleFactory(published=True, countries=["ru"], actors=[kept, gone_one, gone_two])
    old = revisions.record(article, message="Three actors")
    article.actors.set([kept])
    revisions.record(article, message="One actor")
    Actor.objects.filter(pk__in=[gone_one.pk, gone_two.pk]).delete()

    restore = reverse("admin:articles_article_restore", args=[article.pk, old.pk])
    response = admin_client.post(restore, follow=True)

    page = response.content.decode()
    assert "named 2 actors deleted since, so they were left out" in page
    assert list(article.actors.all()) == [kept]
    assert [c.code for c in article.countries.all()] == ["RU"]


def test_a_revision_whose_places_all_stand_restores_without_a_warning(admin_client):
    article = ArticleFactory(published=True, actors=ActorFactory.create_batch(2))
    old = revisions.record(article)
    article.actors.clear()
    revisions.record(article)

    restore = reverse("admin:articles_article_restore", args=[article.pk, old.pk])
    page = admin_client.post(restore, follow=True).content.decode()

    assert "left out" not in page and article.actors.count() == 2


def test_restoring_a_revision_by_an_author_deleted_since_keeps_the_current_one_and_says_so(
    admin_client,
):
    article = ArticleFactory(published=True, actors=[gone := ActorFactory()])
    first_author = article.author
    old = revisions.record(article)
    article.author = current = AuthorFactory()
    article.save()
    revisions.record(article)
    first_author.delete()
    gone.delete()

    restore = reverse("admin:articles_article_restore", args=[article.pk, old.pk])
    page = admin_client.post(restore, follow=True).content.decode()

    assert "named its author and an actor deleted since" in page
    assert "The article keeps its current author." in page
    article.refresh_from_db()
    assert article.author == current


def test_a_place_deleted_since_is_named_by_its_kind_in_a_comparison():
    from articles.revision_diff import compare

    article = ArticleFactory(published=True, countries=["ru"])
    old = revisions.record(article)
    article.countries.clear()
    new = revisions.record(article)
    russia = Country.objects.get(code="RU")
    pk = russia.pk
    article.countries.through.objects.filter(country_id=pk).delete()
    russia.delete()

    older, newer = revisions.snapshots(article, [old, new])
    (countries,) = [c for c in compare(older, newer).fields if c.label == "Countries"]
    assert f"Country #{pk} (deleted)" in "".join(chunk.text for chunk in countries.chunks)
