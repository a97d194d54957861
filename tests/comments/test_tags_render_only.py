"""
The comments template tags only render what a view supplied: no tag runs a query.

The view gets its data through articles.discussion (comments.article_page);
each tag is then rendered with that data and must cost nothing.
"""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import discussion
from comments.article_page import ArticlePageDiscussion
from comments.templatetags import comments_tags

from ..factories import CommentFactory

EVERY_TAG = {
    "comments_section": "{% comments_section discussion %}",
    "comment_form_section": "{% comment_form_section form_context %}",
    "section_response_links": "{% section_response_links discussion section %}",
    "responses_to": "{{ discussion|responses_to:section }}",
}


@pytest.fixture
def supplied(published_article):
    """What the article view supplies, built before the tags render."""
    section = published_article.sections.get(heading="The thaw")
    parent = CommentFactory(article=published_article, approved=True, section=section)
    CommentFactory(article=published_article, approved=True, parent=parent, section=section)
    CommentFactory(article=published_article, approved=True, featured=True)
    CommentFactory(article=published_article, spam=True)
    provider = ArticlePageDiscussion()
    request = RequestFactory().get("/", {"reply_to": parent.pk, "section": section.anchor})
    return {
        "discussion": provider.discussion(published_article, page=1, sort="featured"),
        "form_context": provider.comment_form(request, published_article),
        "section": section,
    }


def test_every_tag_of_the_library_is_checked_here():
    library = comments_tags.register
    assert set(library.tags) | set(library.filters) == set(EVERY_TAG)


@pytest.mark.parametrize("name", EVERY_TAG)
def test_a_tag_renders_the_supplied_data_without_a_query(name, supplied, django_assert_num_queries):
    template = Template("{% load comments_tags %}" + EVERY_TAG[name])
    with django_assert_num_queries(0):
        html = template.render(Context(supplied))
    assert html.strip()


def test_the_rendered_tags_show_what_was_supplied(supplied):
    html = Template("{% load comments_tags %}" + "".join(EVERY_TAG.values())).render(
        Context(supplied)
    )

    assert "3 comments" in html and "1 comment removed: 1 spam" in html
    assert "Editors’ picks" in html
    assert "Reply to Reader" in html  # the ?reply_to= of the request
    assert "Read 2 responses to this section" in html


def test_the_article_page_builds_its_discussion_through_the_registered_provider(
    client, published_article
):
    calls = []

    class Recording(ArticlePageDiscussion):
        def discussion(self, article, **kwargs):
            calls.append(kwargs)
            return super().discussion(article, **kwargs)

    CommentFactory(article=published_article, approved=True)
    with discussion.provided_by(Recording()):
        html = client.get(published_article.get_absolute_url() + "?sort=newest").content.decode()

    assert calls == [{"page": 1, "sort": "newest"}]
    assert "1 comment" in html


def test_the_admin_pending_count_is_counted_once_per_page(admin_client):
    CommentFactory.create_batch(2)

    with CaptureQueriesContext(connection) as captured:
        html = admin_client.get(reverse("admin:index")).content.decode()

    waiting = [q["sql"] for q in captured.captured_queries if "comments_comment" in q["sql"]]
    assert len(waiting) == 1
    assert "Moderation desk: 2 waiting" in html and "(2 waiting)" in html


def test_the_pending_count_is_for_staff_on_admin_pages_only(
    client, admin_user, published_article, django_user_model
):
    CommentFactory(article=published_article)
    reader = django_user_model.objects.create_user("reader", password="x")  # noqa: S106

    client.force_login(admin_user)
    article_page = client.get(published_article.get_absolute_url())
    admin_page = client.get(reverse("admin:index"))
    client.force_login(reader)
    reader_admin = client.get(reverse("admin:index"), follow=True)

    assert "pending_comment_count" not in article_page.context
    assert str(admin_page.context["pending_comment_count"]) == "1"
    assert "pending_comment_count" not in reader_admin.context
