"""The tag admin: names follow the article form's rules, are free in any case, and two editors
saving the same name at once get a form error, not a 500."""

import pytest
from django.test import Client
from taggit.models import Tag

from articles.admin import TagForm

from ..races import miss_once

pytestmark = pytest.mark.django_db

ADD = "/admin/taggit/tag/add/"


def tag_form(name, slug):
    return {
        "name": name,
        "slug": slug,
        "taggit_taggeditem_items-TOTAL_FORMS": "0",
        "taggit_taggeditem_items-INITIAL_FORMS": "0",
    }


@pytest.fixture
def editor(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("china", "A tag with this name already exists, in another case."),
        ("???", "needs at least one letter or digit."),
        ("\u200b", "contains a line break or an invisible control character."),
    ],
)
def test_the_tag_admin_refuses_what_an_article_form_refuses(editor, name, message):
    Tag.objects.create(name="China", slug="china")

    response = editor.post(ADD, tag_form(name, "odd-tag"))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Tag.objects.filter(slug="odd-tag").exists()


def test_two_editors_adding_the_same_tag_at_once_get_a_form_error(editor, monkeypatch):
    """The other editor's tag lands between this form's checks and its save (simulated:
    the checks miss it once); the database refuses the save, and the form says why."""
    Tag.objects.create(name="Shipping", slug="shipping")
    names = miss_once(monkeypatch, TagForm, "clean_name", lambda form: form.cleaned_data["name"])
    unique = miss_once(monkeypatch, Tag, "validate_unique", lambda tag, exclude=None: None)

    response = editor.post(ADD, tag_form("Shipping", "shipping-2"))

    assert names == unique == [1]
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Tag.objects.filter(name__iexact="shipping").count() == 1
