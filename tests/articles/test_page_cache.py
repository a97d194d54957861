"""Cached pages are fast, and never stale: every change shows on the very next request."""

import datetime
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from articles import page_cache, publishing
from articles.models import Article
from comments import moderation
from comments.models import Comment

from ..comments.conftest import form_token
from ..factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    FigureFactory,
    SectionFactory,
    SocialLinkFactory,
)
from ..unreachable import UNREACHABLE_CACHES
from .admin_forms import article_change_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0


@pytest.fixture
def article(db):
    article = ArticleFactory(published=True, slug="cables", title="Cables under the sea")
    SectionFactory(article=article, heading="Landing points", body="Where cables come ashore.")
    return article


def page(client, url="/articles/cables/", **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


def text(response):
    return response.content.decode()


def test_the_second_anonymous_request_is_answered_from_the_cache(client, article):
    assert page(client)["X-Page-Cache"] == "miss"

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        again = page(client)
    assert again["X-Page-Cache"] == "hit"
    assert len(queries) == 0


def test_content_length_counts_the_fresh_form_token_on_a_miss_and_a_hit(client, article):
    """The token is longer than its placeholder: a length counted before it was filled in
    made servers that honour Content-Length (gunicorn) cut the end of the page off."""
    for expected in ("miss", "hit"):
        response = page(client)
        assert response["X-Page-Cache"] == expected
        assert re.search(r'name="token" value="[0-9]+\.[0-9a-f]{32}\.', text(response))
        assert int(response["Content-Length"]) == len(response.content)
        assert response.content.rstrip().endswith(b"</html>")


def build_large(slug, sections, comments):
    article = ArticleFactory(published=True, slug=slug, tags=[f"{slug} {n}" for n in range(6)])
    built = [SectionFactory(article=article, position=n) for n in range(sections)]
    for n in range(3):
        FigureFactory(article=article, section=built[n % sections])
    for n in range(comments):
        CommentFactory(article=article, approved=True, section=built[n % sections])
    return article


def test_without_the_page_cache_an_article_costs_at_most_four_queries_once_rendered(
    client, django_assert_max_num_queries
):
    """Unique query strings defeat the whole-page cache; the rendering cache still answers."""
    small = build_large("small", sections=2, comments=0)
    large = build_large("large", sections=30, comments=60)
    for article in (small, large):
        page(client, article.get_absolute_url() + "?r=warm")

    for article in (small, large):
        with django_assert_max_num_queries(4):
            response = page(client, article.get_absolute_url() + "?r=unique-1")
        assert "X-Page-Cache" not in response
    # Threads come 50 a page; each page of the discussion is rendered once too.
    assert text(page(client, large.get_absolute_url() + "?r=2")).count('class="comment"') == 50
    later = text(page(client, large.get_absolute_url() + "?comments=2&r=3"))
    assert later.count('class="comment"') == 10


@pytest.mark.parametrize(
    "query",
    [
        "utm_source=x",
        "q=junk1",
        "reply_to=7",
        "section=landing-points",
        "comments=1000",
        "page=1&q=a",
    ],
)
def test_random_query_strings_are_never_stored(client, article, query):
    """Only a bare URL or one page number is kept whole: junk cannot fill the cache."""
    page(client, f"/articles/cables/?{query}")
    assert "X-Page-Cache" not in page(client, f"/articles/cables/?{query}")


def test_a_page_of_a_list_or_of_a_discussion_is_kept(client, article):
    page(client, "/?page=1")
    assert page(client, "/?page=1")["X-Page-Cache"] == "hit"
    page(client, "/articles/cables/?comments=2")
    assert page(client, "/articles/cables/?comments=2")["X-Page-Cache"] == "hit"


def test_two_readers_of_one_cached_page_get_their_own_form_tokens(article):
    first, second = Client(), Client()
    page(first)
    cached = page(second)
    assert cached["X-Page-Cache"] == "hit"
    tokens = [
        re.search(r'name="token" value="([^"]+)"', text(response))[1]
        for response in (page(first), cached)
    ]
    assert tokens[0] != tokens[1]
    assert "placeholder" not in tokens[0]


def test_a_reader_whose_first_page_came_from_the_cache_can_post(article):
    Client().get("/articles/cables/")  # someone else fills the cache
    reader = Client(enforce_csrf_checks=True)
    response = page(reader)
    assert response["X-Page-Cache"] == "hit"
    assert not reader.cookies
    token = re.search(r'name="token" value="([^"]+)"', text(response))[1]

    posted = reader.post(
        reverse("comments:post", args=["cables"]),
        {
            "name": "Ilse",
            "email": "ilse@example.net",
            "body": "Repair ships are the bottleneck.",
            "token": token,
        },
        HTTP_ORIGIN="http://testserver",
    )

    assert posted.status_code == 302
    assert Comment.objects.filter(name="Ilse", status=Comment.Status.PENDING).exists()


def test_a_post_from_another_site_is_refused(client, article):
    response = client.post(
        reverse("comments:post", args=["cables"]),
        {"name": "X", "email": "x@example.net", "body": "Forged.", "token": form_token()},
        HTTP_ORIGIN="https://attacker.example",
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_approving_rejecting_and_deleting_a_comment_show_on_the_next_request(
    client, admin_client, article
):
    comment = CommentFactory(article=article, body="Zqpending remark.")
    assert "Zqpending" not in text(page(client))
    page(client)  # cached

    moderation.approve(comment)
    assert "Zqpending" in text(page(client))

    moderation.reject(comment, reason=Comment.RemovalReason.OFF_TOPIC)
    shown = text(page(client))
    assert "Zqpending" not in shown and "1 comment removed" in shown

    moderation.approve(comment)
    assert "Zqpending" in text(page(client))
    # Deleting outright keeps the row as a record, without its text (comments/moderation.py).
    moderation.delete_outright(comment, reason=Comment.RemovalReason.PERSONAL_DATA)
    assert "Zqpending" not in text(page(client))


def test_publishing_and_unpublishing_show_on_the_next_request(client, admin_client, article):
    draft = ArticleFactory(title="Zqfresh analysis", slug="fresh")
    assert "Zqfresh" not in text(page(client, "/"))
    page(client, "/")

    admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    assert "Zqfresh" in text(page(client, "/"))
    assert page(client, "/articles/fresh/").status_code == 200

    admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_selected", "_selected_action": [draft.pk]},
    )
    assert "Zqfresh" not in text(page(client, "/"))
    assert client.get("/articles/fresh/").status_code == 404


def test_editing_an_article_in_the_admin_shows_on_the_next_request(client, admin_client, article):
    section = article.sections.get()
    page(client)
    page(client)

    admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_change_data(article, section, body="Zqrewritten paragraph."),
    )

    assert "Zqrewritten" in text(page(client))


def test_editing_an_author_or_renaming_a_tag_shows_on_the_next_request(client, admin_client):
    author = AuthorFactory(name="Old Name", slug="old-name")
    ArticleFactory(published=True, slug="tagged", author=author, tags=["Shipping"])
    page(client, "/articles/tagged/")
    page(client, "/articles/tagged/")

    admin_client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        {
            "name": "Zqnew Name",
            "slug": "old-name",
            "social_links-TOTAL_FORMS": "0",
            "social_links-INITIAL_FORMS": "0",
            "social_links-MIN_NUM_FORMS": "0",
            "social_links-MAX_NUM_FORMS": "1000",
        },
    )
    assert "Zqnew Name" in text(page(client, "/articles/tagged/"))

    from taggit.models import Tag

    tag = Tag.objects.get(name="Shipping")
    admin_client.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]),
        {
            "name": "Zqseafaring",
            "slug": "shipping",
            "taggit_taggeditem_items-TOTAL_FORMS": "0",
            "taggit_taggeditem_items-INITIAL_FORMS": "0",
        },
    )
    assert "Zqseafaring" in text(page(client, "/articles/tagged/"))


def test_a_scheduled_article_appears_when_its_time_comes(client, monkeypatch):
    soon = timezone.now() + datetime.timedelta(minutes=5)
    ArticleFactory(title="Zqscheduled piece", slug="later", status="scheduled", published_at=soon)
    assert "Zqscheduled" not in text(page(client, "/"))
    assert page(client, "/")["X-Page-Cache"] == "hit"

    later = soon + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "Zqscheduled" in text(page(client, "/"))
    assert page(client, "/articles/later/").status_code == 200


def test_readers_with_a_session_or_a_message_are_never_served_from_the_cache(
    client, admin_client, article
):
    page(client)
    assert page(client)["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in admin_client.get("/articles/cables/")
    client.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in client.get("/articles/cables/")


def test_a_page_sent_to_a_logged_in_editor_is_private(admin_client, article):
    response = admin_client.get("/articles/cables/")
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_previews_of_drafts_are_never_stored(admin_client):
    ArticleFactory(slug="draft-piece", title="Zqdraft")
    response = admin_client.get("/articles/draft-piece/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert Client().get("/articles/draft-piece/").status_code == 404


def test_unchanged_pages_answer_304_and_say_how_long_they_may_be_kept(client, article):
    first = page(client)
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    assert "stale-while-revalidate" in first["Cache-Control"]

    again = client.get("/articles/cables/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    moderation.approve(CommentFactory(article=article))
    assert client.get("/articles/cables/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_form_with_errors_is_never_cached(client, article):
    response = client.post(
        reverse("comments:post", args=["cables"]), {"name": "", "token": form_token()}
    )
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_pages_still_work_when_the_cache_is_unreachable(client, settings, article):
    settings.CACHES = UNREACHABLE_CACHES
    assert "Landing points" in text(page(client))
    page_cache.content_changed()  # logs, never raises
    assert Article.objects.published().exists()


def test_a_change_made_while_the_cache_was_unreachable_shows_once_it_is_back(client):
    """The generation could not move on during the outage: it moves on when the cache
    returns, so the pages stored before the outage never come back with it."""
    article = ArticleFactory(published=True, slug="withdrawn", title="Zqwithdrawn piece")
    page(client, "/articles/withdrawn/")
    assert page(client, "/articles/withdrawn/")["X-Page-Cache"] == "hit"
    assert "Zqwithdrawn" in text(page(client, "/"))

    with override_settings(CACHES=UNREACHABLE_CACHES):
        publishing.unpublish(article)  # "could not invalidate the page cache", logged
        assert client.get("/articles/withdrawn/").status_code == 404

    assert client.get("/articles/withdrawn/").status_code == 404
    assert "Zqwithdrawn" not in text(page(client, "/"))


def test_a_process_that_starts_moves_the_generation_on_before_serving_a_stored_page(
    client, monkeypatch
):
    """A change made while no process ran, or a deploy with new templates, leaves pages
    in the cache that a new process cannot tell from fresh ones."""
    article = ArticleFactory(published=True, slug="renamed", title="Zqold title")
    page(client, "/articles/renamed/")
    assert page(client, "/articles/renamed/")["X-Page-Cache"] == "hit"

    Article.objects.filter(pk=article.pk).update(title="Zqnew title")  # nobody announced it
    monkeypatch.setattr(page_cache, "_may_have_missed_a_change", True)  # a new process
    monkeypatch.setattr(page_cache, "_local", type(page_cache._local)())

    assert "Zqnew title" in text(page(client, "/articles/renamed/"))


# --- One rendering shared by readers whatever their query string ----------------


def canonical(response):
    return re.search(r'<link rel="canonical" href="([^"]+)"', text(response))[1]


def test_a_shared_page_names_the_host_each_reader_asked_for(client, settings, article):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    first = page(client, "/articles/cables/?r=1", HTTP_HOST="one.example")
    second = page(client, "/articles/cables/?r=2", HTTP_HOST="two.example")

    assert canonical(first) == "http://one.example/articles/cables/"
    assert canonical(second) == "http://two.example/articles/cables/"
    assert "-placeholder" not in text(second)


def test_a_reply_link_gets_its_own_form_and_the_next_reader_the_default_one(client, article):
    comment = CommentFactory(article=article, approved=True, name="Zqorla")

    # The first request renders the shared page too: with the default form in it.
    reply = text(page(client, f"/articles/cables/?reply_to={comment.pk}"))
    plain = text(page(client, "/articles/cables/?r=2"))

    assert "Reply to Zqorla" in reply and f'value="{comment.pk}"' in reply
    assert reply.count('id="comment-form"') == 1
    assert "Reply to Zqorla" not in plain and "Share your insights" in plain
    assert "-placeholder" not in reply


def test_a_shared_page_never_outlives_unpublishing(client, admin_client, article):
    assert page(client, "/articles/cables/?r=1").status_code == 200

    admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_selected", "_selected_action": [article.pk]},
    )

    assert client.get("/articles/cables/?r=2").status_code == 404


def test_a_reader_with_a_message_waiting_is_shown_it(article):
    reader = Client()
    page(reader, "/articles/cables/?r=1")
    posted = reader.post(
        reverse("comments:post", args=["cables"]),
        {"name": "Ilse", "email": "ilse@example.net", "body": "Zqnoted.", "token": form_token()},
        HTTP_ORIGIN="http://testserver",
    )
    assert posted.status_code == 302

    shown = text(reader.get(posted["Location"]))

    assert "awaiting moderation" in shown
    assert "awaiting moderation" not in text(page(Client(), "/articles/cables/?r=2"))


def test_figures_tags_and_social_links_keep_their_order(client):
    author = AuthorFactory(slug="ordered")
    for position, platform in [(2, "Zqthird"), (0, "Zqfirst"), (1, "Zqsecond")]:
        SocialLinkFactory(author=author, position=position, platform=platform)
    article = ArticleFactory(published=True, slug="ordered", author=author)
    section = SectionFactory(article=article, heading="Only section")
    for position, caption in [(5, "Zqcaption-c"), (1, "Zqcaption-a"), (3, "Zqcaption-b")]:
        FigureFactory(article=article, section=section, position=position, caption=caption)

    shown = text(page(client, "/articles/ordered/?r=1"))

    captions = re.findall(r"Zqcaption-\w", shown)
    assert captions == ["Zqcaption-a", "Zqcaption-b", "Zqcaption-c"]
    assert re.findall(r"Zq(?:first|second|third)", shown) == ["Zqfirst", "Zqsecond", "Zqthird"]


def test_without_redis_a_change_made_by_another_process_shows_on_the_next_request(
    client, article, settings, tmp_path
):
    """`import_article` beside `make run`'s server: no Redis, one cache per process."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    settings.PAGE_CACHE_STAMP_FILE = str(tmp_path / "page-generation")
    assert page(client)["X-Page-Cache"] == "miss"
    assert page(client)["X-Page-Cache"] == "hit"
    # The other process's change reached the database (a test's own database
    # is in this process's memory, so it is made here, unannounced) ...
    Article.objects.filter(pk=article.pk).update(title="Cables, cut")
    assert "Cables, cut" not in text(page(client))
    # ... and the other process announces it as every change does.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from articles import page_generation; page_generation.announce()",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "geopolitics.settings",
            "PAGE_CACHE_STAMP_FILE": settings.PAGE_CACHE_STAMP_FILE,
            "REDIS_URL": "",
        },
        check=True,
    )

    response = page(client)
    assert response["X-Page-Cache"] == "miss"
    assert "Cables, cut" in text(response)
