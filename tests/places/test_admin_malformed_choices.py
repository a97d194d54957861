"""A malformed place or actor choice posted to the admin is a form error, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from places.models import Country

from ..articles.admin_forms import article_change_data
from ..articles.desk import contributor_with_profile, staff_in
from ..factories import ActorFactory, ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client():
    client = Client()
    client.force_login(staff_in("Editors", "eddie"))
    return client


def assert_refused(response, field):
    """The form comes back with an error on ``field`` (Django's own wording)."""
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    assert any(
        phrase in " ".join(errors[field])
        for phrase in ("not a valid value", "valid choice", "Null characters are not allowed")
    )


def post_article_places(client, article, section, field, values):
    data = article_change_data(article, section, body=section.body)
    data[field] = values
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


@pytest.mark.parametrize(
    "field, values",
    [
        ("regions", ["abc"]),
        ("countries", ["1x"]),
        ("actors", ["abc"]),
        ("countries", ["RU"]),
        ("regions", ["1", "abc"]),
    ],
)
def test_a_malformed_choice_on_the_article_form_is_a_form_error(editor_client, field, values):
    article = ArticleFactory(published=True)
    section = SectionFactory(article=article)

    response = post_article_places(editor_client, article, section, field, values)

    assert response.status_code == 200
    assert_refused(response, field)
    assert not getattr(article, field).exists()


def test_a_contributor_posting_a_malformed_country_sees_the_form_error(client):
    user, profile = contributor_with_profile()
    client.force_login(user)
    article = ArticleFactory(author=profile)
    section = SectionFactory(article=article)

    response = post_article_places(client, article, section, "countries", ["abc"])

    assert response.status_code == 200
    assert_refused(response, "countries")


def test_a_malformed_country_on_the_actor_form_is_a_form_error(editor_client):
    actor = ActorFactory(name="Gazprom", slug="gazprom", kind="company")
    url = reverse("admin:places_actor_change", args=[actor.pk])
    data = {"name": "Gazprom", "slug": "gazprom", "kind": "company", "description": ""}

    response = editor_client.post(url, {**data, "country": "abc"})

    assert response.status_code == 200
    assert_refused(response, "country")
    actor.refresh_from_db()
    assert actor.country is None

    russia = Country.objects.get(code="RU")
    assert editor_client.post(url, {**data, "country": str(russia.pk)}).status_code == 302
    actor.refresh_from_db()
    assert actor.country == russia


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=st.text(min_size=1, max_size=20).filter(
        lambda text: not text.strip().isdigit() and text.strip()
    )
)
def test_any_text_as_a_region_choice_never_breaks_the_form(value):
    client = Client()
    client.force_login(_editor() or staff_in("Editors", "eddie"))
    article = ArticleFactory(published=True)
    section = SectionFactory(article=article)

    response = post_article_places(client, article, section, "regions", [value])

    assert response.status_code == 200
    assert_refused(response, "regions")


def _editor():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username="eddie").first()
