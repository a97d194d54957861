"""Corrections and update notes, and what "Updated" in the byline means."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.corrections import Correction
from articles.models import Article

from ..factories import ArticleFactory, CorrectionFactory, SectionFactory
from .admin_forms import article_change_data, inline_management

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def byline(page):
    return re.search(r'<p class="byline meta">(.*?)</p>', page, re.S).group(1)


def json_ld(page):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


@pytest.fixture
def article(db):
    article = ArticleFactory(published=True, title="Ports and power", slug="ports-and-power")
    SectionFactory(article=article, heading="Harbours", body="The port moved 4 million boxes.")
    return article


def test_a_correction_shows_on_the_page_in_the_feeds_and_in_the_json_ld(client, article):
    CorrectionFactory(
        article=article,
        kind=Correction.Kind.CORRECTION,
        text="An earlier version said *four* million boxes; it was three.",
    )

    page = client.get(article.get_absolute_url()).content.decode()
    assert "Corrections and updates" in page
    block = page[page.index('id="corrections"') :]
    assert "Correction" in block
    assert "<em>four</em> million boxes; it was three." in block
    assert "Updated" in byline(page)

    rss = ET.fromstring(client.get(reverse("articles:feed")).content)  # noqa: S314 (our own feed)
    description = rss.find("channel/item/description").text
    assert "Correction" in description
    assert "<em>four</em> million boxes" in description

    atom = ET.fromstring(client.get(reverse("articles:feed-atom")).content)  # noqa: S314
    summary = atom.find(f"{ATOM}entry/{ATOM}summary").text
    assert "it was three" in summary

    data = json_ld(page)
    [note] = data["correction"]
    assert note["@type"] == "CorrectionComment"
    assert note["text"] == "An earlier version said four million boxes; it was three."


def test_notes_show_in_order_with_kind_and_date(client, article):
    first = timezone.now() + datetime.timedelta(hours=1)
    CorrectionFactory(
        article=article, kind=Correction.Kind.CLARIFICATION, published_at=first, text="Clarified."
    )
    CorrectionFactory(
        article=article,
        kind=Correction.Kind.UPDATE,
        published_at=first + datetime.timedelta(days=2),
        text="Updated figures.",
    )

    page = client.get(article.get_absolute_url()).content.decode()

    block = page[page.index('id="corrections"') :]
    assert block.index("Clarification") < block.index("Clarified.") < block.index("Update")
    assert (first + datetime.timedelta(days=2)).strftime("%-d %B %Y") in byline(page)


def test_a_plain_resave_shows_no_updated(admin_client, client, article):
    article.published_at = timezone.now() - datetime.timedelta(days=30)
    article.save()
    section = article.sections.get()

    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_change_data(article, section, body="The port moved 3 million boxes."),
    )

    assert response.status_code == 302
    page = client.get(article.get_absolute_url()).content.decode()
    assert "3 million boxes" in page
    assert "Updated" not in byline(page)
    assert "Corrections and updates" not in page


def test_an_imported_article_with_an_older_date_shows_no_updated(client):
    article = ArticleFactory(
        published=True, published_at=timezone.now() - datetime.timedelta(days=400)
    )

    page = client.get(article.get_absolute_url()).content.decode()

    assert "Updated" not in byline(page)
    assert not Article.objects.get(pk=article.pk).was_updated


def test_ticking_material_update_shows_updated_with_that_date(admin_client, client, article):
    article.published_at = timezone.now() - datetime.timedelta(days=30)
    article.save()
    section = article.sections.get()
    data = article_change_data(article, section, body="Rewritten with new numbers.")
    data["material_update"] = "on"

    response = admin_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.material_update_at is not None
    page = client.get(article.get_absolute_url()).content.decode()
    today = timezone.localdate().strftime("%-d %B %Y")
    assert "Updated <time" in byline(page)
    assert today in byline(page)
    modified = datetime.datetime.fromisoformat(json_ld(page)["dateModified"])
    assert abs(modified - article.material_update_at) < datetime.timedelta(seconds=1)


def test_editor_adds_a_correction_in_the_admin_and_the_page_shows_it_at_once(
    admin_client, client, settings, article
):
    settings.PAGE_CACHE_ENABLED = True
    article.published_at = timezone.now() - datetime.timedelta(days=3)
    article.save()
    assert "Corrections and updates" not in client.get(article.get_absolute_url()).content.decode()
    section = article.sections.get()
    now = timezone.localtime()
    data = article_change_data(article, section, body=section.body)
    data.update(inline_management("corrections", 1))
    data.update(
        {
            "corrections-0-kind": "correction",
            "corrections-0-published_at_0": now.strftime("%Y-%m-%d"),
            "corrections-0-published_at_1": now.strftime("%H:%M:%S"),
            "corrections-0-text": "The minister was <script>alert(1)</script> misnamed.",
        }
    )

    response = admin_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 302
    note = Correction.objects.get()
    assert note.created_by.is_superuser
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Corrections and updates" in page
    assert "misnamed." in page
    assert "<script>alert(1)" not in page
    assert "Updated" in byline(page)


def test_correction_page_query_count_does_not_grow_with_notes(
    client, article, django_assert_max_num_queries
):
    CorrectionFactory(article=article)
    other = ArticleFactory(published=True)
    SectionFactory(article=other)
    CorrectionFactory.create_batch(8, article=other)

    with CaptureQueriesContext(connection) as one_note:
        client.get(article.get_absolute_url())
    with django_assert_max_num_queries(len(one_note)):
        page = client.get(other.get_absolute_url()).content.decode()
    assert page.count('class="correction ') == 8


@pytest.mark.parametrize(
    ("days", "message"),
    [(365, "cannot be dated in the future"), (-30, "on or after the article's publication")],
)
def test_a_note_dated_ahead_or_before_publication_is_refused_in_the_admin(
    admin_client, article, days, message
):
    article.published_at = timezone.now() - datetime.timedelta(days=3)
    article.save()
    section = article.sections.get()
    when = timezone.localtime() + datetime.timedelta(days=days)
    data = article_change_data(article, section, body=section.body)
    data.update(inline_management("corrections", 1))
    data.update(
        {
            "corrections-0-kind": "correction",
            "corrections-0-published_at_0": when.strftime("%Y-%m-%d"),
            "corrections-0-published_at_1": when.strftime("%H:%M:%S"),
            "corrections-0-text": "A note.",
        }
    )

    response = admin_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Correction.objects.exists()
