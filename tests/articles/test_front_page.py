"""The front page (issue 11): a lead story with its figure, a grid, and the most discussed."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import publishing
from articles.search import refresh_search_vector

from ..factories import ArticleFactory, CommentFactory, FigureFactory
from .admin_forms import inline_management, untouched_inlines
from .desk import staff_in

pytestmark = pytest.mark.django_db


def home(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def lead_title(html):
    found = re.search(r'<h2 class="lead__title" id="lead-title"><a href="[^"]+">([^<]+)</a>', html)
    return found.group(1) if found else None


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def test_the_newest_published_article_leads_when_no_editor_chose_one(client):
    ArticleFactory(published=True, title="Older piece", published_at=hours_ago(5))
    ArticleFactory(published=True, title="Newest piece", published_at=hours_ago(1))
    ArticleFactory(title="A draft never leads")

    assert lead_title(home(client)) == "Newest piece"


def test_the_article_an_editor_chose_leads_and_is_not_repeated_in_the_grid(client):
    ArticleFactory(published=True, title="Chosen piece", published_at=hours_ago(9), lead_story=True)
    ArticleFactory(published=True, title="Newest piece", published_at=hours_ago(1))

    html = home(client)

    assert lead_title(html) == "Chosen piece"
    assert html.count("Chosen piece") == 1
    assert "Newest piece" in html.split('class="card-grid"')[1]


def test_of_several_chosen_leads_the_most_recently_published_wins(client):
    ArticleFactory(
        published=True, title="Chosen long ago", published_at=hours_ago(9), lead_story=True
    )
    ArticleFactory(
        published=True, title="Chosen lately", published_at=hours_ago(3), lead_story=True
    )
    ArticleFactory(published=True, title="Newest piece", published_at=hours_ago(1))

    assert lead_title(home(client)) == "Chosen lately"


@pytest.mark.parametrize("state", ["unpublished", "scheduled", "in_review"])
def test_a_chosen_lead_that_is_not_public_never_leads(client, state):
    ArticleFactory(title="Hidden choice", lead_story=True, **{state: True})
    ArticleFactory(published=True, title="Newest piece", published_at=hours_ago(1))

    html = home(client)

    assert lead_title(html) == "Newest piece"
    assert "Hidden choice" not in html


def test_an_archived_lead_stops_leading_on_the_next_request(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    editor = staff_in("Editors", "eddie")
    chosen = ArticleFactory(published=True, title="Chosen piece", lead_story=True)
    ArticleFactory(published=True, title="Older piece", published_at=hours_ago(30))
    assert lead_title(home(client)) == "Chosen piece"

    publishing.archive(chosen, by=editor)

    html = home(client)
    assert lead_title(html) == "Older piece"
    assert "Chosen piece" in html.split('class="card-grid"')[1]  # still readable, in the grid


def test_the_fallback_lead_skips_a_newer_archived_article(client):
    ArticleFactory(archived=True, title="Archived lately", published_at=hours_ago(1))
    ArticleFactory(published=True, title="Current piece", published_at=hours_ago(8))

    assert lead_title(home(client)) == "Current piece"


def test_with_only_archived_articles_there_is_no_lead_but_they_are_listed(client):
    ArticleFactory(archived=True, title="Archived piece", published_at=hours_ago(1))

    html = home(client)
    assert lead_title(html) is None
    assert "Archived piece" in html


def test_unpublishing_the_chosen_lead_shows_the_fallback_on_the_next_request(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    editor = staff_in("Editors", "eddie")
    chosen = ArticleFactory(published=True, title="Chosen piece", lead_story=True)
    ArticleFactory(published=True, title="Older piece", published_at=hours_ago(30))
    assert lead_title(home(client)) == "Chosen piece"

    publishing.unpublish(chosen, by=editor)

    assert lead_title(home(client)) == "Older piece"


def test_the_lead_shows_its_first_figure_with_renditions_and_its_size(client):
    lead = ArticleFactory(published=True, title="With a map")
    FigureFactory(article=lead, position=1, image__width=1000, image__height=600, alt_text="Map")
    FigureFactory(article=lead, position=2, alt_text="Second figure")

    html = home(client).split('class="lead__text"')[0]

    image = re.search(r'<a class="lead__figure"[^>]*>\s*<img ([^>]+)>', html).group(1)
    assert 'width="1000" height="600"' in image
    assert "480w" in image and "800w" in image and "1000w" in image
    assert "sizes=" in image


def test_cards_cut_a_long_standfirst_to_forty_words_on_a_word_boundary(client):
    words = [f"word{n}" for n in range(120)]
    ArticleFactory(published=True, title="Lead", published_at=hours_ago(1))
    ArticleFactory(
        published=True, title="Card", standfirst=" ".join(words) + " <b>", published_at=hours_ago(2)
    )

    card = home(client).split('class="card-grid"')[1]

    assert "word39 …" in card
    assert "word40" not in card
    assert "<b>" not in card


def test_editors_choose_the_lead_in_the_admin_and_it_shows_at_once(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    chosen = ArticleFactory(published=True, title="Quiet piece", published_at=hours_ago(20))
    ArticleFactory(published=True, title="Newest piece", published_at=hours_ago(1))
    assert lead_title(home(client)) == "Newest piece"

    editor = staff_in("Editors", "eddie")
    desk = type(client)()
    desk.force_login(editor)
    response = desk.post(
        reverse("admin:articles_article_change", args=[chosen.pk]),
        {
            "title": chosen.title,
            "slug": chosen.slug,
            "standfirst": chosen.standfirst,
            "author": chosen.author.pk,
            "tags": "",
            "comments_open": "on",
            "lead_story": "on",
            **inline_management("sections", 0),
            **inline_management("figures", 0),
            **untouched_inlines(),
        },
    )
    assert response.status_code == 302

    assert lead_title(home(client)) == "Quiet piece"


def test_contributors_cannot_choose_the_lead(client):
    from .desk import contributor_with_profile

    user, profile = contributor_with_profile()
    client.force_login(user)
    article = ArticleFactory(author=profile)

    form = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert 'name="lead_story"' not in form


def test_most_discussed_counts_approved_comments_of_the_last_seven_days(client):
    busy = ArticleFactory(published=True, title="Busy debate")
    quiet = ArticleFactory(published=True, title="Quiet debate")
    stale = ArticleFactory(published=True, title="Old debate")
    spammed = ArticleFactory(published=True, title="Spammed piece")
    draft = ArticleFactory(title="Draft with talk")
    CommentFactory.create_batch(3, article=busy, approved=True)
    CommentFactory(article=quiet, approved=True)
    CommentFactory.create_batch(
        5, article=stale, approved=True, created_at=timezone.now() - datetime.timedelta(days=8)
    )
    CommentFactory.create_batch(5, article=spammed, spam=True)
    CommentFactory.create_batch(5, article=spammed)  # pending
    CommentFactory.create_batch(5, article=draft, approved=True)

    html = home(client)
    box = html.split('id="most-discussed-heading"')[1].split("</aside>")[0]

    assert box.index("Busy debate") < box.index("Quiet debate")
    assert "3 comments" in box and "1 comment" in box
    for absent in ("Old debate", "Spammed piece", "Draft with talk"):
        assert absent not in box


def test_later_pages_are_a_plain_list(client, settings):
    for n in range(settings.ARTICLES_PER_PAGE + 2):
        ArticleFactory(published=True, title=f"Piece {n:02}", published_at=hours_ago(n + 1))

    html = home(client, "/?page=2")

    assert 'class="lead' not in html
    assert f"Piece {settings.ARTICLES_PER_PAGE:02}" in html


def build_front_page(count, comments):
    for n in range(count):
        article = ArticleFactory(
            published=True, published_at=hours_ago(n + 1), tags=[f"tag {n}", f"tag {n + 1}"]
        )
        FigureFactory.create_batch(2, article=article)
        for _ in range(comments):
            CommentFactory(article=article, approved=True)


def count_queries(client, url="/"):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_front_page_costs_the_same_queries_with_little_and_much_content(
    client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    build_front_page(2, comments=1)
    small = count_queries(client)

    build_front_page(25, comments=4)
    with django_assert_max_num_queries(small):
        html = home(client)
    assert html.count('class="card"') == settings.ARTICLES_PER_PAGE - 1
    # Count and list, their tags; the lead, its tags and figures; with every cache
    # off also most discussed, the coverage map and the header's regions (each a
    # fragment cached per generation when the cache is on).
    assert small <= 10


@pytest.mark.parametrize("url", ["/tags/arctic/", "/authors/long-winded/", "/search/?q=zqpolar"])
def test_tag_author_and_search_cards_show_about_forty_words(client, url):
    from ..factories import AuthorFactory

    author = AuthorFactory(slug="long-winded")
    words = [f"Arctic{n}" for n in range(100)]
    article = ArticleFactory(
        published=True, author=author, title="Zqpolar", tags=["Arctic"], standfirst=" ".join(words)
    )
    refresh_search_vector(article)

    html = home(client, url)
    # A search result on PostgreSQL shows its matching passage (at most 35 words) instead.
    shown = re.search(r'<p class="card__(?:standfirst|snippet)">(.*?)</p>', html, re.S).group(1)

    assert 15 <= len(shown.split()) <= 41
    assert "Arctic40" not in shown
    if "card__standfirst" in html:
        assert shown.endswith("Arctic39 …")


def test_an_approved_comment_moves_most_discussed_on_the_next_request(client, settings):
    from comments import moderation

    settings.PAGE_CACHE_ENABLED = True
    ArticleFactory(published=True, title="Newest piece")
    debated = ArticleFactory(published=True, title="Debated piece", published_at=hours_ago(5))
    waiting = CommentFactory(article=debated)
    assert "Most discussed this week" not in home(client)
    assert "Most discussed this week" not in home(client)  # from the cache

    moderation.approve(waiting, moderator=staff_in("Moderators", "moira"))

    box = home(client).split('id="most-discussed-heading"')[1]
    assert "Debated piece" in box
