"""Reading details of the article page (issue 11): contents, figures, responses, drafts."""

import re

import pytest
from django.test import override_settings

from ..factories import ArticleFactory, CommentFactory, FigureFactory, SectionFactory
from .desk import staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    article = ArticleFactory(published=True, slug="straits", title="Straits and chokepoints")
    SectionFactory(article=article, heading="Geography first", position=1)
    SectionFactory(article=article, heading="Hormuz", position=2, nested=True)
    SectionFactory(article=article, heading="Malacca", position=3, nested=True)
    SectionFactory(article=article, heading="Navies", position=4)
    return article


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_respond_links_follow_level_two_sections_only(client, article):
    html = page(client, article.get_absolute_url())

    assert html.count(">Respond to this section</a>") == 2
    assert "?section=geography-first#comment-form" in html
    assert "?section=navies#comment-form" in html
    assert "?section=hormuz#comment-form" not in html


def test_responses_to_a_subsection_are_still_counted_in_the_contents(client, article):
    hormuz = article.sections.get(anchor="hormuz")
    CommentFactory.create_batch(2, article=article, section=hormuz, approved=True)

    html = page(client, article.get_absolute_url())
    contents = html.split('class="toc"')[1].split("</details>")[0]

    assert re.search(
        r'href="#hormuz">Hormuz</a>\s*<span class="toc__responses">2 responses', contents
    )


def test_the_contents_are_a_details_element_closed_in_the_html(client, article):
    html = page(client, article.get_absolute_url())

    details = re.search(r"<details[^>]*>", html.split('class="article__layout"')[1]).group(0)
    assert 'class="toc"' in details
    assert "open" not in details
    assert '<summary class="toc__heading" id="toc-heading">Contents</summary>' in html
    assert (
        html.index('class="standfirst"')
        < html.index('class="toc"')
        < html.index('id="geography-first"')
    )


def test_a_figure_links_to_its_full_size_original(client, article):
    figure = FigureFactory(article=article, image__width=1600, image__height=900, alt_text="Chart")

    html = page(client, article.get_absolute_url())

    assert (
        f'<a class="figure__open" href="{figure.image.url}">Open full size (1600 × 900 px)</a>'
        in html
    )
    assert f'<a href="{figure.image.url}" class="figure__full"><img' in html


NOTICES = (
    "Comments are closed",
    "Comments open when",
    "Thank you to everyone",
    "Respond to this section",
    "Share your insights",
    'id="comment-form"',
    'id="comments"',
)


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled", "unpublished"])
def test_an_editor_looking_at_an_unpublished_article_sees_no_comment_notice(client, state):
    options = {} if state == "draft" else {state: True}
    draft = ArticleFactory(slug="not-yet", **options)
    SectionFactory(article=draft, heading="Opening")
    CommentFactory(article=draft, approved=True, body="An old remark.")
    client.force_login(staff_in("Editors", "eddie"))

    html = page(client, draft.get_absolute_url())

    assert "Preview: this article is not published." in html
    for notice in (*NOTICES, "An old remark."):
        assert notice not in html, notice


def test_a_published_article_keeps_its_discussion_and_form(client, article):
    html = page(client, article.get_absolute_url())

    assert 'id="comment-form"' in html
    assert "Respond to this section" in html


@override_settings(DEBUG=True)
@pytest.mark.parametrize(
    ("code", "text"),
    [("404", "We can’t find that page"), ("500", "Something went wrong on our side")],
)
def test_error_pages_can_be_seen_while_developing(client, code, text):
    response = client.get(f"/__preview__/{code}/")

    assert response.status_code == 200
    assert text in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@override_settings(DEBUG=True)
def test_only_the_project_error_pages_can_be_previewed(client):
    assert client.get("/__preview__/418/").status_code == 404


@pytest.mark.parametrize("code", ["404", "500"])
def test_error_page_previews_do_not_exist_in_production(client, code):
    response = client.get(f"/__preview__/{code}/")

    assert response.status_code == 404
    assert "Something went wrong on our side" not in response.content.decode()
