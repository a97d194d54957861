"""Rules that hold on every public URL: private data never shows, one <h1> per page."""

import datetime

import pytest

from .factories import (
    ArticleFactory,
    AuthorFactory,
    FigureFactory,
    SectionFactory,
    SocialLinkFactory,
)
from .html import outline

PRIVATE_VALUES = [
    "zq-private-mail@example.org",
    "+44 7700 900123",
    "77 Undisclosed Crescent",
    "1961-07-14",
    "14 July 1961",
    "July 14, 1961",
]


@pytest.fixture
def author_with_secrets(db):
    author = AuthorFactory(
        name="Ines Carvalho",
        slug="ines-carvalho",
        email="zq-private-mail@example.org",
        phone="+44 7700 900123",
        postal_address="77 Undisclosed Crescent\nLisbon",
        birth_date=datetime.date(1961, 7, 14),
    )
    SocialLinkFactory(author=author)
    article = ArticleFactory(
        published=True, author=author, slug="ports-and-power", tags=["Ports", "Trade"]
    )
    SectionFactory(article=article, heading="Harbours")
    FigureFactory(article=article)
    ArticleFactory(published=True, author=author, slug="second-piece", tags=["Ports"])
    return author


def public_urls():
    return [
        "/",
        "/?page=1",
        "/articles/ports-and-power/",
        "/articles/second-piece/",
        "/tags/ports/",
        "/tags/trade/",
        "/authors/ines-carvalho/",
        "/search/?q=ports",
        "/search/?q=Ines",
        "/feed/",
        "/feed/atom/",
        "/tags/ports/feed/",
        "/tags/ports/feed/atom/",
        "/authors/ines-carvalho/feed/",
        "/authors/ines-carvalho/feed/atom/",
        "/sitemap.xml",
        "/robots.txt",
    ]


def test_private_author_details_appear_on_no_public_page(client, author_with_secrets):
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in PRIVATE_VALUES:
            assert secret not in body, f"{secret!r} leaked on {url}"


def test_every_html_page_has_exactly_one_h1(client, author_with_secrets):
    for url in public_urls():
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        assert outline(response).h1_count == 1, url
