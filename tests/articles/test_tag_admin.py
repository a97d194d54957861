"""The tag admin: names follow the article form's rules, are free in any case, and two editors
saving the same name at once get a form error, not a 500."""

import pytest
from django.test import Client
from taggit.models import Tag

from articles.admin import TagForm

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
    missed = {"name": 0, "unique": 0}
    clean_name, validate_unique = TagForm.clean_name, Tag.validate_unique

    def name_check_missing_it_once(self):
        if missed["name"] == 0:
            missed["name"] += 1
            return self.cleaned_data["name"]
        return clean_name(self)

    def unique_check_missing_it_once(self, exclude=None):
        if missed["unique"] == 0:
            missed["unique"] += 1
            return None
        return validate_unique(self, exclude=exclude)

    monkeypatch.setattr(TagForm, "clean_name", name_check_missing_it_once)
    monkeypatch.setattr(Tag, "validate_unique", unique_check_missing_it_once)

    response = editor.post(ADD, tag_form("Shipping", "shipping-2"))

    assert missed == {"name": 1, "unique": 1}
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Tag.objects.filter(name__iexact="shipping").count() == 1
