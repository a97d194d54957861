"""Preview links: a draft readable by anyone holding a signed, expiring, revocable link."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import previews, publishing
from articles.previews import PreviewLink

from ..factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    CorrectionFactory,
    PreviewLinkFactory,
    SectionFactory,
)
from ..html import outline
from .admin_forms import article_change_data, inline_management

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    author = AuthorFactory(name="Ines Carvalho", slug="ines-carvalho", with_private_details=True)
    article = ArticleFactory(
        author=author, title="Ports before power", slug="ports-before-power", tags=["Ports"]
    )
    SectionFactory(article=article, heading="Harbours first", body="Draft text[^1].\n\n[^1]: A.")
    return article


@pytest.fixture
def link(draft):
    return PreviewLinkFactory(article=draft)


def test_preview_link_shows_the_draft_to_a_reader_without_an_account(client, draft, link):
    assert client.get(draft.get_absolute_url()).status_code == 404

    response = client.get(link.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ports before power" in page
    assert "Harbours first" in page
    assert "Draft preview — not published" in page
    assert outline(response).h1_count == 1


def test_preview_is_noindex_never_stored_and_sends_no_referrer(client, settings, link):
    settings.PAGE_CACHE_ENABLED = True

    first = client.get(link.get_absolute_url())
    second = client.get(link.get_absolute_url())

    for response in (first, second):
        assert response.status_code == 200
        assert response["X-Robots-Tag"] == "noindex"
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control
        assert "public" not in cache_control
        assert response["Referrer-Policy"] == "no-referrer"
        assert "X-Page-Cache" not in response
        assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_preview_has_no_comment_form_no_comment_notice_and_no_canonical(client, draft, link):
    CommentFactory(article=draft, approved=True, body="A remark on the draft.")

    page = client.get(link.get_absolute_url()).content.decode()

    assert "<form" in page  # the site search, and nothing else
    assert page.count("<form") == 1
    for absent in (
        "comment",
        "Comments are closed",
        "Comments open when",
        "Share your insights",
        "Respond to this section",
        "A remark on the draft.",
        'rel="canonical"',
        "og:url",
        "application/ld+json",
    ):
        assert absent.casefold() not in page.casefold(), absent


def test_preview_shows_no_private_author_details(client, link):
    page = client.get(link.get_absolute_url()).content.decode()

    for secret in ("private.author@example.org", "+44 20 7946 0000", "12 Hidden Lane"):
        assert secret not in page


def test_expired_link_is_410_with_a_plain_message_and_no_article(client, draft):
    link = PreviewLinkFactory(article=draft, expired=True)

    response = client.get(link.get_absolute_url())

    assert response.status_code == 410
    assert response["Content-Type"].startswith("text/plain")
    assert "expired" in response.content.decode()
    assert "Ports before power" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_link_expires_when_its_time_passes(client, link, monkeypatch):
    url = link.get_absolute_url()
    assert client.get(url).status_code == 200

    later = timezone.now() + previews.DEFAULT_LIFETIME + datetime.timedelta(seconds=1)
    monkeypatch.setattr(previews.timezone, "now", lambda: later)

    assert client.get(url).status_code == 410


def test_revoked_link_is_404_at_once(client, settings, link):
    settings.PAGE_CACHE_ENABLED = True
    url = link.get_absolute_url()
    assert client.get(url).status_code == 200

    previews.revoke(link)

    response = client.get(url)
    assert response.status_code == 404
    assert "Ports before power" not in response.content.decode()


def test_a_link_to_an_article_published_since_goes_to_its_page(client, draft, link):
    publishing.publish(draft)

    response = client.get(link.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


def test_guessed_or_edited_tokens_are_404(client, link):
    other = PreviewLinkFactory(article=ArticleFactory(title="Another secret draft"))
    forged = signing.Signer(salt="some other purpose").sign_object(other.pk)
    token = link.token
    edited = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in [forged, edited, str(link.pk), "x" * 300, f"{token}x"]:
        response = client.get(reverse("articles:preview", kwargs={"token": bad}))
        assert response.status_code == 404, bad
        assert "secret draft" not in response.content.decode()
        assert "Ports before power" not in response.content.decode()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    token=st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="/?#\x00"), min_size=1
    )
)
def test_any_other_token_is_404_never_500(link, token):
    response = Client().get(reverse("articles:preview", kwargs={"token": token}))
    assert response.status_code == 404


# --- The admin ------------------------------------------------------------------


def post_article_with(client, article, extra):
    section = article.sections.first()
    data = article_change_data(article, section, body=section.body)
    data.update(extra)
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


def new_link_data(expires_at=None):
    data = inline_management("preview_links", 1)
    if expires_at is not None:
        data["preview_links-0-expires_at_0"] = expires_at.strftime("%Y-%m-%d")
        data["preview_links-0-expires_at_1"] = expires_at.strftime("%H:%M:%S")
    return data


def test_editor_creates_a_link_in_the_admin_and_sees_its_full_address(client, draft):
    editor = User.objects.create_user("eddie", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    draft.published_at = timezone.now()  # article_change_data needs a date
    draft.save()
    expires = timezone.localtime() + datetime.timedelta(days=7)

    response = post_article_with(client, draft, new_link_data(expires))

    assert response.status_code == 302
    link = PreviewLink.objects.get(article=draft)
    assert link.created_by == editor
    assert link.is_active
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert f"http://testserver{link.get_absolute_url()}" in page
    client.logout()
    assert client.get(link.get_absolute_url()).status_code == 200


def test_editor_revokes_a_link_in_the_admin(admin_client, client, draft, link):
    draft.published_at = timezone.now()
    draft.save()
    data = {
        **inline_management("preview_links", 1, initial=1),
        "preview_links-0-id": link.pk,
        "preview_links-0-article": draft.pk,
        "preview_links-0-expires_at_0": timezone.localtime(link.expires_at).strftime("%Y-%m-%d"),
        "preview_links-0-expires_at_1": timezone.localtime(link.expires_at).strftime("%H:%M:%S"),
        "preview_links-0-revoke": "on",
    }

    response = post_article_with(admin_client, draft, data)

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(link.get_absolute_url()).status_code == 404


def test_a_link_that_expires_in_the_past_is_refused_with_a_message(admin_client, draft):
    draft.published_at = timezone.now()
    draft.save()

    response = post_article_with(
        admin_client, draft, new_link_data(timezone.localtime() - datetime.timedelta(hours=1))
    )

    assert response.status_code == 200
    assert "Choose a moment in the future." in response.content.decode()
    assert not PreviewLink.objects.exists()


def test_a_contributor_cannot_create_a_link_even_to_their_own_draft(client, draft):
    contributor = User.objects.create_user("vera", is_staff=True)
    contributor.groups.add(Group.objects.get(name="Contributors"))
    draft.author.user = contributor
    draft.author.save()
    client.force_login(contributor)
    url = reverse("admin:articles_article_change", args=[draft.pk])

    page = client.get(url)
    post_article_with(client, draft, new_link_data(timezone.now()))

    assert page.status_code == 200
    assert not [f for f in page.context["inline_admin_formsets"] if f.formset.model is PreviewLink]
    assert not PreviewLink.objects.exists()


def test_staff_who_may_only_view_articles_cannot_create_a_link(client, draft):
    viewer = User.objects.create_user("val", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)

    post_article_with(client, draft, new_link_data(timezone.now()))

    assert not PreviewLink.objects.exists()


def test_a_moderator_cannot_reach_the_article_or_its_links(client, draft):
    moderator = User.objects.create_user("moira", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    draft.published_at = timezone.now()
    draft.save()

    response = post_article_with(client, draft, new_link_data(timezone.now()))

    assert response.status_code == 403
    assert not PreviewLink.objects.exists()


def test_preview_shows_the_corrections_block(client, draft, link):
    CorrectionFactory(article=draft, text="A figure was wrong.")

    page = client.get(link.get_absolute_url()).content.decode()

    assert "Corrections and updates" in page
    assert "A figure was wrong." in page


def test_a_preview_links_to_no_page_the_draft_alone_would_make_public(client, draft, link):
    """The draft's own tag and its unpublished author have no public page yet: plain names."""
    page = client.get(link.get_absolute_url()).content.decode()

    assert "Ports" in page and "Ines Carvalho" in page
    for url in ["/tags/ports/", draft.author.get_absolute_url()]:
        assert f'href="{url}"' not in page
        assert client.get(url).status_code == 404
