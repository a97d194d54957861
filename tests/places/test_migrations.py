"""places/0002 applies to a database that already holds actors named alike."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("places", "0001_initial")]
AFTER = [("places", "0002_actor_names_unique_and_slugs_need_a_letter")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_actors_named_alike_are_told_apart_and_kept():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Actor = old_apps.get_model("places", "Actor")
    for slug, name in [("hamas", "Hamas"), ("hamas-caps", "HAMAS"), ("hamas-3", "hamas")]:
        Actor.objects.create(name=name, slug=slug, kind="armed_group")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    from places.models import Actor as CurrentActor

    names = dict(CurrentActor.objects.values_list("slug", "name"))
    assert names == {"hamas": "Hamas", "hamas-caps": "HAMAS (2)", "hamas-3": "hamas (3)"}
