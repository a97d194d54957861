"""The groups Editors and Moderators, with their permissions.

Editors manage articles, sections, figures, authors, their links and tags,
and may moderate comments. Moderators may view and moderate comments and
nothing else. Permissions are normally created after migrations run, so they
are created here first (the documented way to use them in a data migration).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
MODERATORS = "Moderators"
EVERY_ACTION = ["add", "change", "delete", "view"]
MODERATION = ["view", "change"]

EDITOR_PERMISSIONS = {
    ("articles", "article"): EVERY_ACTION,
    ("articles", "section"): EVERY_ACTION,
    ("articles", "figure"): EVERY_ACTION,
    ("articles", "author"): EVERY_ACTION,
    ("articles", "sociallink"): EVERY_ACTION,
    ("taggit", "tag"): EVERY_ACTION,
    ("comments", "comment"): MODERATION,
}
MODERATOR_PERMISSIONS = {("comments", "comment"): MODERATION}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in [(EDITORS, EDITOR_PERMISSIONS), (MODERATORS, MODERATOR_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        codenames = {
            (app_label, f"{action}_{model}")
            for (app_label, model), actions in grants.items()
            for action in actions
        }
        permissions = [
            permission
            for permission in Permission.objects.filter(
                content_type__app_label__in={app for app, _ in codenames}
            ).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in codenames
        ]
        missing = codenames - {(p.content_type.app_label, p.codename) for p in permissions}
        if missing:
            raise RuntimeError(f"Permissions not found for {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, MODERATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
