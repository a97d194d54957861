"""Commenters' e-mail addresses and IP hashes appear on no public page or feed."""

import pytest
from django.urls import reverse

from comments import notifications

from ..factories import ArticleFactory, CommentFactory, SectionFactory
from ..html import outline

SECRET_EMAILS = {
    "approved": "zq-approved-reader@example.net",
    "pending": "zq-pending-reader@example.net",
    "rejected": "zq-rejected-reader@example.net",
    "spam": "zq-spam-reader@example.net",
    "reply": "zq-replying-reader@example.net",
}


@pytest.fixture
def discussed_article(db):
    article = ArticleFactory(
        published=True, slug="harbours-and-power", title="Harbours and power", tags=["Ports"]
    )
    section = SectionFactory(article=article, heading="Quays")
    ArticleFactory(published=True, slug="another-piece", tags=["Ports"])
    top = CommentFactory(
        article=article,
        section=section,
        approved=True,
        notify=True,
        email=SECRET_EMAILS["approved"],
        ip_hash="a1" * 32,
    )
    CommentFactory(
        article=article, parent=top, approved=True, email=SECRET_EMAILS["reply"], ip_hash="b2" * 32
    )
    CommentFactory(article=article, email=SECRET_EMAILS["pending"], ip_hash="c3" * 32)
    CommentFactory(
        article=article, rejected=True, email=SECRET_EMAILS["rejected"], ip_hash="d4" * 32
    )
    CommentFactory(article=article, spam=True, email=SECRET_EMAILS["spam"], ip_hash="e5" * 32)
    return article


def public_urls(article):
    top = article.comments.get(parent=None, status="approved")
    return [
        "/",
        "/tags/ports/",
        article.author.get_absolute_url(),
        "/search/?q=harbours",
        article.get_absolute_url(),
        f"{article.get_absolute_url()}?reply_to={top.pk}",
        f"{article.get_absolute_url()}?section=quays",
        reverse("comments:section", args=[article.slug, "quays"]),
        reverse("comments:feed", args=[article.slug]),
        reverse("comments:unsubscribe", args=[notifications.unsubscribe_token(top)]),
        "/feed/",
        "/feed/atom/",
        "/tags/ports/feed/",
        "/sitemap.xml",
    ]


def secrets_of(article):
    hashes = set(article.comments.values_list("ip_hash", flat=True))
    return set(SECRET_EMAILS.values()) | hashes


def test_commenter_email_and_ip_hash_appear_on_no_public_page_or_feed(client, discussed_article):
    secrets = secrets_of(discussed_article)

    for url in public_urls(discussed_article):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, f"{secret!r} leaked on {url}"


def test_a_rejected_post_shows_only_what_that_reader_typed(client, discussed_article):
    response = client.post(
        reverse("comments:post", args=[discussed_article.slug]),
        {"name": "Me", "email": "mine@example.net", "body": "", "token": "x"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    for secret in secrets_of(discussed_article):
        assert secret not in body


def test_comment_pages_have_exactly_one_h1(client, discussed_article):
    for url in public_urls(discussed_article):
        response = client.get(url)
        if response["Content-Type"].startswith("text/html"):
            assert outline(response).h1_count == 1, url
