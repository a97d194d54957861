"""The article editor's inlines without a browser (issue 9): order, figure placement."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from articles.models import Article, Figure

from ..factories import ArticleFactory, AuthorFactory, FigureFactory, SectionFactory
from .admin_forms import inline_management, untouched_inlines

pytestmark = pytest.mark.django_db


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 180), "steelblue").save(buffer, "PNG")
    return SimpleUploadedFile("chart.png", buffer.getvalue(), "image/png")


def new_article_data(author, sections, figures=()):
    """The add form as the browser posts it: ``sections`` are (heading, key) pairs,
    ``figures`` the value of each figure's "Section" select."""
    data = {
        "title": "Ports of the frozen Baltic",
        "slug": "frozen-baltic",
        "standfirst": "Which harbours stay open.",
        "author": author.pk,
        "tags": "",
        "status": "draft",
        "comments_open": "on",
        **inline_management("sections", len(sections)),
        **inline_management("figures", len(figures)),
        **untouched_inlines(),
    }
    for index, (heading, key) in enumerate(sections):
        data |= {
            f"sections-{index}-position": str(index + 1),
            f"sections-{index}-level": "2",
            f"sections-{index}-heading": heading,
            f"sections-{index}-body": f"About {heading}.",
            f"sections-{index}-key": key,
        }
    for index, section in enumerate(figures):
        data |= {
            f"figures-{index}-image": png(),
            f"figures-{index}-alt_text": f"Chart {index}",
            f"figures-{index}-section": section,
        }
    return data


def form_errors(response):
    return [f.formset.errors for f in response.context["inline_admin_formsets"]]


def test_a_figure_is_placed_in_a_section_of_an_article_not_saved_yet(admin_client):
    data = new_article_data(
        AuthorFactory(),
        [("Harbours", "k-harbours"), ("Pilots", "k-pilots")],
        figures=["new:k-pilots", ""],
    )

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(slug="frozen-baltic")
    placed, trailing = article.figures.order_by("alt_text")
    assert placed.section.heading == "Pilots"
    assert trailing.section is None


def test_a_figure_placed_in_a_section_removed_in_the_same_form_follows_the_last(admin_client):
    data = new_article_data(AuthorFactory(), [("Harbours", "k-1")], figures=["new:k-gone"])

    response = admin_client.post(reverse("admin:articles_article_add"), data, follow=True)

    figure = Figure.objects.get()
    assert figure.section is None
    assert "follows the last section" in response.content.decode()


@pytest.mark.parametrize("value", ["new:", "new:<script>", "999999", "elsewhere"])
def test_a_figure_cannot_name_a_section_that_is_not_this_articles(admin_client, value):
    other = SectionFactory()
    value = str(other.pk) if value == "elsewhere" else value
    data = new_article_data(AuthorFactory(), [("Harbours", "k-1")], figures=[value])

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assert "Choose one of this article&#x27;s sections." in response.content.decode()
    assert not Article.objects.filter(slug="frozen-baltic").exists()
    assert not Figure.objects.exists()


def test_without_scripts_a_stored_articles_sections_are_offered_to_its_figures(admin_client):
    article = ArticleFactory()
    SectionFactory(article=article, heading="Harbours", position=1)
    pilots = SectionFactory(article=article, heading="Pilots", position=2)
    SectionFactory(heading="Another article's section")
    FigureFactory(article=article, section=pilots)

    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    select = re.search(
        r'<select name="figures-0-section".*?</select>', page.content.decode(), re.S
    )[0]
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    assert [(label, bool(chosen)) for _, chosen, label in options] == [
        ("After the last section", False),
        ("Harbours", False),
        ("Pilots", True),
    ]


def test_without_scripts_a_new_section_goes_at_the_end(admin_client):
    article = ArticleFactory()
    first = SectionFactory(article=article, heading="First", position=1)
    second = SectionFactory(article=article, heading="Second", position=2)
    add_page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    # What the hidden position input of a row added without scripts holds.
    blank = re.search(
        r'name="sections-__prefix__-position" value="([^"]*)"', add_page.content.decode()
    )
    data = {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "author": article.author.pk,
        "tags": "",
        "status": "draft",
        "comments_open": "on",
        **inline_management("sections", 3, initial=2),
        **inline_management("figures", 0),
        **untouched_inlines(),
    }
    for index, section in enumerate([first, second]):
        data |= {
            f"sections-{index}-id": section.pk,
            f"sections-{index}-article": article.pk,
            f"sections-{index}-position": str(section.position),
            f"sections-{index}-level": "2",
            f"sections-{index}-heading": section.heading,
            f"sections-{index}-body": section.body,
        }
    data |= {
        "sections-2-position": blank[1] if blank else "",
        "sections-2-level": "2",
        "sections-2-heading": "Added later",
        "sections-2-body": "New text.",
    }

    response = admin_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 302, form_errors(response)
    assert [s.heading for s in article.sections.all()] == ["First", "Second", "Added later"]


def test_the_change_form_costs_the_same_queries_with_many_figures(
    admin_client, django_assert_max_num_queries
):
    small, large = ArticleFactory(), ArticleFactory()
    for article, count in ((small, 1), (large, 8)):
        for position in range(count):
            section = SectionFactory(article=article, position=position)
            FigureFactory(article=article, section=section, position=position)
    admin_client.get(reverse("admin:articles_article_change", args=[small.pk]))

    with CaptureQueriesContext(connection) as baseline:
        admin_client.get(reverse("admin:articles_article_change", args=[small.pk]))

    with django_assert_max_num_queries(len(baseline)):
        admin_client.get(reverse("admin:articles_article_change", args=[large.pk]))


def test_deleting_a_section_while_editing_its_figure_moves_the_figure_to_the_end(admin_client):
    article = ArticleFactory()
    doomed = SectionFactory(article=article, heading="Doomed", position=1)
    kept = SectionFactory(article=article, heading="Kept", position=2)
    figure = FigureFactory(article=article, section=doomed, caption="Old caption")
    data = {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "author": article.author.pk,
        "tags": "",
        "status": "draft",
        "comments_open": "on",
        **inline_management("sections", 2, initial=2),
        **inline_management("figures", 1, initial=1),
        **untouched_inlines(),
        "figures-0-id": figure.pk,
        "figures-0-article": article.pk,
        "figures-0-position": "1",
        "figures-0-alt_text": figure.alt_text,
        "figures-0-caption": "New caption",
        "figures-0-section": str(doomed.pk),
    }
    for index, section in enumerate([doomed, kept]):
        data |= {
            f"sections-{index}-id": section.pk,
            f"sections-{index}-article": article.pk,
            f"sections-{index}-position": str(section.position),
            f"sections-{index}-level": "2",
            f"sections-{index}-heading": section.heading,
            f"sections-{index}-body": section.body,
        }
    data["sections-0-DELETE"] = "on"

    response = admin_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 302, form_errors(response)
    figure.refresh_from_db()
    assert (figure.caption, figure.section) == ("New caption", None)
    assert [s.heading for s in article.sections.all()] == ["Kept"]
