"""An article goes public only with a standfirst, whoever publishes it: admin or importer."""

import pytest
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from articles import publishing
from articles.models import Article

from ..factories import ArticleFactory, SectionFactory
from .admin_forms import article_change_data
from .desk import staff_in
from .importing import row_counts, run_import

pytestmark = pytest.mark.django_db

NO_STANDFIRST = """---
title: Ports without a lede
author: Ingrid Solberg
---

## The harbours

Text about harbours.
"""


def test_import_publish_of_a_file_without_a_standfirst_saves_nothing_and_says_why(tmp_path):
    path = tmp_path / "piece.md"
    path.write_text(NO_STANDFIRST, encoding="utf-8")
    before = row_counts()

    with pytest.raises(CommandError) as error:
        run_import(path, "--publish")

    message = str(error.value)
    assert "has no standfirst" in message
    assert "Nothing was imported" in message
    assert "without --publish" in message
    assert row_counts() == before
    assert "Ports without a lede" not in Client().get("/").content.decode()


def test_the_same_file_without_publish_is_saved_as_a_draft(tmp_path):
    path = tmp_path / "piece.md"
    path.write_text(NO_STANDFIRST, encoding="utf-8")

    run_import(path)

    assert Article.objects.get().status == Article.Status.DRAFT


def test_import_of_a_future_dated_file_without_a_standfirst_is_not_scheduled(tmp_path):
    path = tmp_path / "piece.md"
    path.write_text(NO_STANDFIRST.replace("author:", "date: 2099-01-01\nauthor:"), "utf-8")

    with pytest.raises(CommandError, match="before scheduling it"):
        run_import(path, "--publish")
    assert not Article.objects.exists()


def test_the_admin_publish_action_refuses_a_draft_without_a_standfirst():
    editor = staff_in("Editors", "eddie")
    client = Client()
    client.force_login(editor)
    article = ArticleFactory(title="Imported draft", standfirst="")

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
        follow=True,
    )

    assert "has no standfirst" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_publishing_with_a_standfirst_written_in_the_same_form_succeeds():
    editor = staff_in("Editors", "eddie")
    client = Client()
    client.force_login(editor)
    article = ArticleFactory(title="Imported draft", standfirst="")
    section = SectionFactory(article=article)
    data = article_change_data(article, section, body=section.body)
    data.update(standfirst="Who holds the ports holds the trade.", _transition="publish")

    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_publishing_refuses_a_blank_standfirst_and_changes_nothing():
    article = ArticleFactory(standfirst="   ")

    with pytest.raises(publishing.TransitionError, match="has no standfirst"):
        publishing.publish(article)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
