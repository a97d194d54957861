import pytest
from django.urls import reverse

from articles.models import Article

from ..factories import ArticleFactory, AuthorFactory
from .admin_forms import inline_management, untouched_inlines

pytestmark = pytest.mark.django_db


def test_editor_creates_and_publishes_an_article_with_nested_sections(admin_client):
    author = AuthorFactory()
    data = {
        "title": "Straits and chokepoints",
        "slug": "straits-and-chokepoints",
        "standfirst": "Narrow waters decide more than navies admit.",
        "author": author.pk,
        "tags": "Shipping, Security",
        "comments_open": "on",
        "_transition": "publish",
        **inline_management("sections", 3),
        **inline_management("figures", 0),
        **untouched_inlines(),
        "sections-0-position": "1",
        "sections-0-level": "2",
        "sections-0-heading": "Geography first",
        "sections-0-body": "Water *narrows*.",
        "sections-1-position": "2",
        "sections-1-level": "3",
        "sections-1-heading": "Hormuz",
        "sections-1-body": "A detail.",
        "sections-2-position": "3",
        "sections-2-level": "2",
        "sections-2-heading": "Navies",
        "sections-2-body": "Fleets.",
    }

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302, [
        f.formset.errors for f in response.context["inline_admin_formsets"]
    ]
    article = Article.objects.get(slug="straits-and-chokepoints")
    assert article.is_published
    assert sorted(article.tags.names()) == ["Security", "Shipping"]
    toc = article.table_of_contents()
    assert [(s.heading, [c.heading for c in kids]) for s, kids in toc] == [
        ("Geography first", ["Hormuz"]),
        ("Navies", []),
    ]
    assert "<em>narrows</em>" in article.sections.first().body_html


def test_article_changelist_filters_by_status_author_and_tag(admin_client):
    ArticleFactory(title="Tagged piece", tags=["Energy"])
    ArticleFactory(title="Other piece", tags=["Trade"])
    url = reverse("admin:articles_article_changelist")

    energy = ArticleFactory(tags=["Energy"]).tags.get()
    page = admin_client.get(url, {"tags__id__exact": energy.pk}).content.decode()
    filters = " ".join(admin_client.get(url).content.decode().split())

    assert "Tagged piece" in page and "Other piece" not in page
    assert "By status" in filters and "By author" in filters and "By Tags" in filters


def test_publish_action_publishes_and_stamps_the_date(admin_client):
    draft = ArticleFactory()

    admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )

    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at is not None


def test_author_admin_keeps_private_details_in_a_collapsed_private_fieldset(admin_client):
    author = AuthorFactory(with_private_details=True)

    page = admin_client.get(
        reverse("admin:articles_author_change", args=[author.pk])
    ).content.decode()

    private = page.index("Private")
    assert "collapse" in page[page.rindex("<fieldset", 0, private) : private]
    assert page.index('name="email"') > private
    assert "private.author@example.org" in page


def test_admin_change_form_offers_markdown_preview(admin_client):
    article = ArticleFactory()

    page = admin_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()

    assert "markdownx" in page
