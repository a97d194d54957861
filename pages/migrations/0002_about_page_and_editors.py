"""The default about page, and the Editors' permission to edit site pages.

The text is ours and meant to be rewritten in the admin. Historical models have
no ``save()``, so the HTML is rendered here as ``Page.save()`` would.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from articles.markdown import render_markdown

ABOUT_TITLE = "About Geopolitics"
ABOUT_BODY = """\
Geopolitics publishes long-form analysis of power between states: who holds it,
where it is contested, and what the choices of governments cost the people who
live with them. We prefer one careful argument to ten quick takes.

## What we publish

Each piece states its argument at the top, shows its evidence, and names its
sources in notes. When we get something wrong, the article says so in a
correction note under the text, dated, rather than changing quietly.

## How we work

Contributors write; editors review every piece before it is published and
choose what leads the front page. Reader responses are read by a moderator
before they appear, and each section of an article can be answered on its own.

## Masthead

This page is edited in the admin under **Site pages**: replace this text with
the names of the editors, the contributors and how to reach the desk.
"""

EDITORS = "Editors"
PAGE_PERMISSIONS = ["add_page", "change_page", "delete_page", "view_page"]


def create_about_page_and_permissions(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    if not Page.objects.filter(slug="about").exists():
        Page.objects.create(
            title=ABOUT_TITLE,
            slug="about",
            body=ABOUT_BODY,
            body_html=render_markdown(ABOUT_BODY, id_prefix="about-", top_heading_level=2),
        )
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="pages", codename__in=PAGE_PERMISSIONS)
    )


def remove_about_page(apps, schema_editor):
    apps.get_model("pages", "Page").objects.filter(slug="about").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("comments", "0002_editors_and_moderators"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_about_page_and_permissions, remove_about_page)]
