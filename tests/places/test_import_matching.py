"""The importer tags the place or actor the editor meant, or says why it cannot tell."""

import pytest
from django.core.management.base import CommandError
from django.test import Client

from articles.models import Article
from places.models import Actor, Region

from ..articles.desk import staff_in
from ..articles.importing import row_counts, run_import
from ..factories import ActorFactory
from ..races import miss_once
from .test_import import write

pytestmark = pytest.mark.django_db


def test_an_exact_slug_wins_over_another_actor_named_like_it(tmp_path):
    # Alphabetically first by name, and named "nato": the old lookup picked it.
    ActorFactory(name="Nato", slug="a-nato-watchers-club")
    alliance = ActorFactory(name="North Atlantic Treaty Organization", slug="nato")

    run_import(write(tmp_path), "--actors", "nato")

    assert list(Article.objects.get().actors.all()) == [alliance]


def test_an_exact_region_slug_wins_over_a_region_named_like_it(tmp_path):
    Region.objects.create(name="gulf-states", slug="a-gulf-states-list", order=0)
    gulf = Region.objects.create(name="Gulf States", slug="gulf-states", order=99)

    run_import(write(tmp_path), "--regions", "gulf-states")

    assert list(Article.objects.get().regions.all()) == [gulf]


def test_a_name_in_any_case_finds_the_one_actor_of_that_name(tmp_path):
    opec = ActorFactory(name="OPEC", slug="opec-cartel")

    run_import(write(tmp_path, "actors: opec"))

    assert list(Article.objects.get().actors.all()) == [opec]


def test_two_actors_matching_the_name_are_an_error_naming_both(tmp_path):
    ActorFactory(name="Wagner", slug="wagner-group")
    ActorFactory(name="Richard Wagner Society", slug="WAGNER")
    before = row_counts()

    with pytest.raises(CommandError) as error:
        run_import(write(tmp_path), "--actors", "Wagner")

    message = str(error.value)
    assert "Wagner (slug wagner-group)" in message
    assert "Richard Wagner Society (slug WAGNER)" in message
    assert "use the slug" in message
    assert row_counts() == before


def editor_client():
    client = Client()
    client.force_login(staff_in("Editors", "eddie"))
    return client


# Each place admin that refuses a second name in any case, and what it says.
SAME_NAME_REFUSED = [
    (Actor, "actor", "An actor with this name already exists."),
    (Region, "region", "A region with this name already exists."),
]


@pytest.mark.parametrize(("model", "path", "message"), SAME_NAME_REFUSED)
def test_the_admin_refuses_a_second_place_with_the_same_name_in_another_case(model, path, message):
    model.objects.create(name="Sahel belt", slug="sahel-belt")
    client = editor_client()
    data = {"name": "SAHEL Belt", "slug": "sahel-belt-2", "kind": "other", "order": "0"}

    response = client.post(f"/admin/places/{path}/add/", {**data, "description": ""})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert model.objects.filter(name__iexact="sahel belt").count() == 1


@pytest.mark.parametrize("model, path", [(Actor, "actor"), (Region, "region")])
def test_a_slug_without_a_letter_or_digit_is_refused(model, path):
    client = editor_client()
    data = {"name": "Dashes", "slug": "--", "kind": "other", "order": "0", "description": ""}
    if model is Region:
        data.update({"countries-TOTAL_FORMS": "0", "countries-INITIAL_FORMS": "0"})

    response = client.post(f"/admin/places/{path}/add/", data)

    assert response.status_code == 200
    assert "The slug needs at least one letter or digit." in response.content.decode()
    assert not model.objects.filter(slug="--").exists()


@pytest.mark.parametrize(("model", "path", "message"), SAME_NAME_REFUSED)
def test_two_editors_adding_the_same_name_at_once_get_a_form_error_not_a_500(
    model, path, message, monkeypatch
):
    """The other editor's row arrives between this form's check and its save (simulated:
    the check misses it once); the database refuses the save, and the form says why."""
    model.objects.create(name="Sahel belt", slug="sahel-belt")
    missed = miss_once(monkeypatch, model, "validate_constraints", lambda place, **kw: None)
    client = Client(raise_request_exception=False)
    client.force_login(staff_in("Editors", "eddie"))
    data = {"name": "SAHEL Belt", "slug": "sahel-belt-2", "kind": "other", "order": "0"}
    if model is Region:
        data.update({"countries-TOTAL_FORMS": "0", "countries-INITIAL_FORMS": "0"})

    response = client.post(f"/admin/places/{path}/add/", {**data, "description": ""})

    assert missed == [1]
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="SAHEL Belt"' in response.content.decode()
    assert model.objects.filter(name__iexact="sahel belt").count() == 1


@pytest.mark.parametrize(("model", "path"), [(Actor, "actor"), (Region, "region")])
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("\u200b", "A name may not contain invisible characters."),
        ("Sahel\u200bbelt", "A name may not contain invisible characters."),
        ("Sahel\u202ebelt", "A name may not contain invisible characters."),
        ("— · —", "A name needs at least one letter or digit."),
    ],
)
def test_a_place_name_hiding_invisible_characters_or_without_letters_is_refused(
    model, path, typed, message
):
    client = editor_client()
    data = {"name": typed, "slug": "odd-name", "kind": "other", "order": "0", "description": ""}
    if model is Region:
        data.update({"countries-TOTAL_FORMS": "0", "countries-INITIAL_FORMS": "0"})

    response = client.post(f"/admin/places/{path}/add/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not model.objects.filter(slug="odd-name").exists()


@pytest.mark.parametrize(("model", "path", "message"), SAME_NAME_REFUSED)
def test_a_name_that_differs_only_in_its_spaces_is_the_same_name(model, path, message):
    model.objects.create(name="Sahel belt", slug="sahel-belt")
    client = editor_client()
    data = {"slug": "sahel-belt-2", "kind": "other", "order": "0", "description": ""}
    if model is Region:
        data.update({"countries-TOTAL_FORMS": "0", "countries-INITIAL_FORMS": "0"})

    refused = client.post(f"/admin/places/{path}/add/", {**data, "name": "sahel\u00a0 \u3000Belt"})
    model.objects.create(name="Côte region", slug="cote-region")
    composed_apart = client.post(
        f"/admin/places/{path}/add/", {**data, "slug": "cote-2", "name": "Co\u0302te region"}
    )
    assert message in composed_apart.content.decode()
    added = client.post(f"/admin/places/{path}/add/", {**data, "name": "Sahel\u00a0 belt  west"})

    assert message in refused.content.decode()
    assert added.status_code == 302
    assert model.objects.get(slug="sahel-belt-2").name == "Sahel belt west"
