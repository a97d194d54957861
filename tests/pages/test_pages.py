"""The about page (issue 11): ours by default, edited in the admin, safe, shown at once."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pages.models import Page

from ..articles.desk import staff_in

pytestmark = pytest.mark.django_db


def about(client):
    response = client.get("/about/")
    assert response.status_code == 200
    return response.content.decode()


def test_migrate_creates_an_about_page_in_our_own_words(client):
    html = about(client)

    assert '<h1 class="page-title">About Geopolitics</h1>' in html
    assert "<h2>Masthead</h2>" in html


def test_every_page_links_to_the_about_page_in_its_footer(client):
    html = client.get("/").content.decode()

    footer = html.split('<footer class="site-footer">')[1]
    assert '<a href="/about/">About us</a>' in footer


def test_markup_typed_into_a_page_is_sanitised(client):
    Page.objects.filter(slug="about").update(title="About")
    page = Page.objects.get(slug="about")
    page.body = (
        'Hello <script>alert(1)</script> <img src=x onerror="alert(2)"> '
        "[bad](javascript:alert(3)) <iframe src=//evil.example></iframe> **bold**"
    )
    page.save()

    html = about(client)

    for hostile in ("<script", "onerror", "javascript:", "<iframe"):
        assert hostile not in html
    assert "<strong>bold</strong>" in html


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# NUL excluded: the admin form refuses it (Django's ProhibitNullCharactersValidator).
@given(body=st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=300))
def test_any_text_renders_as_a_page_with_no_live_markup(client, body):
    page = Page.objects.get(slug="about")
    page.body = body + ' <a href="javascript:x" onclick="y">z</a><script>s</script>'
    page.save()

    html = about(client)

    assert "<script>s" not in html
    assert "onclick" not in html
    assert 'href="javascript' not in html


def test_editing_the_about_page_in_the_admin_shows_on_the_next_request(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    about(client)
    assert "Zqnewmasthead" not in about(client)  # now served from the cache

    editor = type(client)()
    editor.force_login(staff_in("Editors", "eddie"))
    page = Page.objects.get(slug="about")
    response = editor.post(
        reverse("admin:pages_page_change", args=[page.pk]),
        {"title": page.title, "slug": "about", "body": "Zqnewmasthead: the desk."},
    )
    assert response.status_code == 302

    assert "Zqnewmasthead" in about(client)


def test_contributors_and_moderators_cannot_edit_site_pages(client):
    page = Page.objects.get(slug="about")
    for group, name in (("Contributors", "cora"), ("Moderators", "moira")):
        client.force_login(staff_in(group, name))
        response = client.get(reverse("admin:pages_page_change", args=[page.pk]))
        assert response.status_code == 403, group


def test_other_pages_live_under_pages_and_unknown_ones_are_404(client):
    Page.objects.create(title="Corrections policy", slug="corrections", body="We correct.")

    assert client.get("/pages/corrections/").status_code == 200
    assert client.get("/pages/nothing-here/").status_code == 404
    assert Page.objects.get(slug="corrections").get_absolute_url() == "/pages/corrections/"
    assert Page.objects.get(slug="about").get_absolute_url() == "/about/"


def test_favicon_ico_leads_to_the_icon_and_pages_name_their_icons(client):
    response = client.get("/favicon.ico")
    html = client.get("/").content.decode()

    assert response.status_code == 302
    assert response["Location"].endswith("/icons/favicon.ico")
    assert 'rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml"' in html
    assert 'rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"' in html
