"""places/0002 and 0003 apply to a database that already holds actors or regions named alike."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    """Every app at its last migration, as the rest of the suite expects to find it."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def back_to_latest():
    yield
    migrate(latest())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_actors_named_alike_are_told_apart_and_kept(back_to_latest):
    old_apps = migrate([("places", "0001_initial")])
    Actor = old_apps.get_model("places", "Actor")
    for slug, name in [("hamas", "Hamas"), ("hamas-caps", "HAMAS"), ("hamas-3", "hamas")]:
        Actor.objects.create(name=name, slug=slug, kind="armed_group")

    migrate([("places", "0002_actor_names_unique_and_slugs_need_a_letter")])

    from places.models import Actor as CurrentActor

    names = dict(CurrentActor.objects.values_list("slug", "name"))
    assert names == {"hamas": "Hamas", "hamas-caps": "HAMAS (2)", "hamas-3": "hamas (3)"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_regions_named_alike_are_told_apart_and_kept(back_to_latest):
    old_apps = migrate([("places", "0002_actor_names_unique_and_slugs_need_a_letter")])
    Region = old_apps.get_model("places", "Region")
    Region.objects.create(name="Sahel belt", slug="sahel-belt")
    Region.objects.create(name="SAHEL BELT", slug="sahel-belt-caps")

    migrate([("places", "0003_region_names_unique_in_any_case")])

    from places.models import Region as CurrentRegion

    names = dict(
        CurrentRegion.objects.filter(slug__startswith="sahel-belt").values_list("slug", "name")
    )
    assert names == {"sahel-belt": "Sahel belt", "sahel-belt-caps": "SAHEL BELT (2)"}
