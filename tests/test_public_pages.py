"""Rules that hold on every public URL, walked from the URLconf (tests/public_urls.py).

- Private details (an author's e-mail, phone, address, birth date; a
  commenter's e-mail and IP hash) appear on no public page, feed or sitemap.
- A tag, an author or an article that only drafts, articles in review,
  scheduled or unpublished articles carry is named nowhere: its pages and
  feeds are 404, and no other page mentions it.
- An actor only such articles are about is named nowhere either; a country
  only drafts are about is on no map and in no list of coverage.
- Every HTML page has exactly one <h1>.
"""

import datetime
from pathlib import Path

import pytest

from articles.importers import import_article
from comments.notifications import unsubscribe_token

from .factories import (
    ActorFactory,
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    CorrectionFactory,
    FigureFactory,
    SectionFactory,
    SocialLinkFactory,
)
from .html import outline
from .public_urls import public_urls

PRIVATE_VALUES = [
    "zq-private-mail@example.org",
    "+44 7700 900123",
    "77 Undisclosed Crescent",
    "1961-07-14",
    "14 July 1961",
    "July 14, 1961",
    "14/07/1961",
    "zq-draft-author-mail@example.org",
    "+44 7700 900999",
    "5 Secret Mews",
    "commenter-secret@example.net",
    "c0ffee" * 10,
    # In the author blocks of imported files (tests/articles/samples/).
    "samira.haddad@example.com",
    "+971 4 555 0173",
    "21 Example Road",
    "1990-02-17",
    "17 February 1990",
    "leyla.mammadova@example.net",
    "+994 12 555 0199",
    "7 Sample Avenue",
    "1988-11-23",
    "23 November 1988",
]

SAMPLES = Path(__file__).parent / "articles" / "samples"

# Named only by drafts, articles in review, scheduled and unpublished articles: never public.
UNPUBLISHED_NAMES = [
    "Zqreview Tag",
    "zqreview-tag",
    "Zqunpublished Tag",
    "zqunpublished-tag",
    "Osric Underreview",
    "osric-underreview",
    "A piece waiting for an editor",
    "A piece taken down",
    "Zqdraftonly Tag",
    "zqdraftonly-tag",
    "Wilhelmina Draftonly",
    "wilhelmina-draftonly",
    "An unfinished argument about ports",
    "unfinished-argument",
    "Zqscheduled Tag",
    "A piece held until next week",
    # Actors only unpublished articles are about (places/).
    "Zqdraftonly Actor",
    "zqdraftonly-actor",
    "Zqscheduled Actor",
]


@pytest.fixture
def site(db):
    """A public author with secrets and a draft-only author, tag and article."""
    author = AuthorFactory(
        name="Ines Carvalho",
        slug="ines-carvalho",
        email="zq-private-mail@example.org",
        phone="+44 7700 900123",
        postal_address="77 Undisclosed Crescent\nLisbon",
        birth_date=datetime.date(1961, 7, 14),
    )
    SocialLinkFactory(author=author)
    port_authority = ActorFactory(name="Port of Lisbon Authority", slug="port-authority")
    article = ArticleFactory(
        published=True,
        author=author,
        slug="ports-and-power",
        tags=["Ports", "Trade"],
        countries=["pt"],
        regions=["europe"],
        actors=[port_authority],
    )
    section = SectionFactory(article=article, heading="Harbours")
    FigureFactory(article=article)
    ArticleFactory(published=True, author=author, slug="second-piece", tags=["Ports"])
    CorrectionFactory(article=article, text="An earlier version misdated the treaty.")
    approved = CommentFactory(
        article=article,
        approved=True,
        section=section,
        email="commenter-secret@example.net",
        ip_hash="c0ffee" * 10,
    )
    CommentFactory(article=article, body="A pending remark nobody may see yet.")

    hidden_author = AuthorFactory(
        name="Wilhelmina Draftonly",
        slug="wilhelmina-draftonly",
        email="zq-draft-author-mail@example.org",
        phone="+44 7700 900999",
        postal_address="5 Secret Mews",
    )
    draft = ArticleFactory(
        author=hidden_author,
        title="An unfinished argument about ports",
        slug="unfinished-argument",
        tags=["Zqdraftonly Tag", "Ports"],
        countries=["td", "pt"],
        actors=[ActorFactory(name="Zqdraftonly Actor", slug="zqdraftonly-actor")],
    )
    SectionFactory(article=draft, heading="Notes for later")
    ArticleFactory(
        scheduled=True,
        author=hidden_author,
        title="A piece held until next week",
        slug="held-piece",
        tags=["Zqscheduled Tag"],
        actors=[ActorFactory(name="Zqscheduled Actor", slug="zqscheduled-actor")],
    )
    # The other states that are not public, with a tag and an author of their own.
    reviewed_author = AuthorFactory(name="Osric Underreview", slug="osric-underreview")
    ArticleFactory(
        in_review=True,
        author=reviewed_author,
        title="A piece waiting for an editor",
        slug="waiting-piece",
        tags=["Zqreview Tag", "Ports"],
    )
    ArticleFactory(
        unpublished=True,
        author=reviewed_author,
        title="A piece taken down",
        slug="taken-down",
        tags=["Zqunpublished Tag"],
    )
    # Real-looking files with private details in their author blocks: one
    # creates its author, the other is filed under an existing one.
    own_author = import_article(SAMPLES / "strait-of-hormuz.txt", publish=True).article
    filed = import_article(
        SAMPLES / "caspian-pipelines.html", author_slug="ines-carvalho", publish=True
    ).article
    return {
        "slug": [
            own_author.slug,
            own_author.author.slug,
            filed.slug,
            "ports-and-power",
            "second-piece",
            "unfinished-argument",
            "held-piece",
            "ports",
            "trade",
            "zqdraftonly-tag",
            "zqscheduled-tag",
            "zqreview-tag",
            "zqunpublished-tag",
            "osric-underreview",
            "waiting-piece",
            "taken-down",
            "ines-carvalho",
            "wilhelmina-draftonly",
            "port-authority",
            "zqdraftonly-actor",
            "zqscheduled-actor",
            "europe",
        ],
        "code": ["pt", "td"],
        "anchor": [section.anchor, "notes-for-later"],
        "pk": [approved.pk],
        "token": [unsubscribe_token(approved)],
    }


@pytest.fixture
def walked(client, site):
    urls, uncovered = public_urls(site)
    assert not uncovered, f"give these URL patterns candidate arguments: {uncovered}"
    pages = {url: client.get(url) for url in urls}
    assert sum(response.status_code == 200 for response in pages.values()) >= 15
    return pages


def test_private_details_appear_on_no_public_page(walked):
    for url, response in walked.items():
        assert response.status_code < 500, url
        body = response.content.decode()
        for secret in PRIVATE_VALUES:
            assert secret not in body, f"{secret!r} leaked on {url}"


def test_unpublished_articles_tags_and_authors_are_named_nowhere(walked):
    for url, response in walked.items():
        body = response.content.decode().casefold()
        for name in UNPUBLISHED_NAMES:
            assert name.casefold() not in body, f"{name!r} named on {url} ({response.status_code})"


def test_pages_of_unpublished_things_are_404(walked):
    for url in [
        "/articles/unfinished-argument/",
        "/articles/held-piece/",
        "/tags/zqdraftonly-tag/",
        "/tags/zqdraftonly-tag/feed/",
        "/tags/zqdraftonly-tag/feed/atom/",
        "/tags/zqscheduled-tag/",
        "/tags/zqreview-tag/",
        "/tags/zqunpublished-tag/feed/",
        "/articles/waiting-piece/",
        "/articles/taken-down/",
        "/authors/osric-underreview/",
        "/authors/osric-underreview/feed/",
        "/authors/wilhelmina-draftonly/",
        "/authors/wilhelmina-draftonly/feed/",
        "/authors/wilhelmina-draftonly/feed/atom/",
        "/comments/articles/unfinished-argument/feed/",
        "/actors/zqdraftonly-actor/",
        "/actors/zqdraftonly-actor/feed/",
        "/actors/zqscheduled-actor/feed/atom/",
    ]:
        assert walked[url].status_code == 404, url


def test_a_country_only_drafts_are_about_is_not_shown_as_covered(walked):
    world = walked["/world/"].content.decode()
    assert 'href="/countries/pt/"' in world
    assert 'href="/countries/td/"' not in world
    assert "Draft" not in walked["/countries/td/"].content.decode()
    assert "No analysis yet." in walked["/countries/td/"].content.decode()


def test_every_html_page_has_exactly_one_h1(walked):
    for url, response in walked.items():
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        assert outline(response).h1_count == 1, url
