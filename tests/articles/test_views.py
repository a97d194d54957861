from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.db import DatabaseError
from django.urls import reverse

from ..factories import (
    ArticleFactory,
    AuthorFactory,
    FigureFactory,
    SectionFactory,
    SocialLinkFactory,
)
from ..html import outline

pytestmark = pytest.mark.django_db


def test_home_lists_published_articles_with_their_details(client, published_article, draft_article):
    response = client.get("/")

    page = response.content.decode()
    assert response.status_code == 200
    assert published_article.title in page
    assert published_article.standfirst in page
    assert "Mara Lindqvist" in page
    assert "min read" in page
    assert 'href="/tags/arctic/"' in page
    assert draft_article.title not in page


def test_home_is_paginated(client, settings):
    ArticleFactory.create_batch(12, published=True)

    first = client.get("/")
    second = client.get("/?page=2")

    assert len(first.context["article_list"]) == 10
    assert len(second.context["article_list"]) == 2
    assert 'rel="next"' in first.content.decode()


def test_article_page_shows_title_standfirst_byline_toc_sections_and_tags(
    client, published_article
):
    response = client.get(published_article.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in page and published_article.title in page
    assert published_article.standfirst in page
    assert 'href="/authors/mara-lindqvist/"' in page
    assert "min read" in page
    assert '<a href="#the-thaw">The thaw</a>' in page
    assert '<h3 id="new-routes-heading">New routes</h3>' in page
    assert 'href="/tags/shipping/"' in page


def test_every_toc_link_resolves_to_an_element_on_the_page(client, published_article):
    SectionFactory(article=published_article, heading="The thaw", position=9)  # equal heading

    found = outline(client.get(published_article.get_absolute_url()))

    toc_targets = [s.anchor for s in published_article.sections.all()]
    assert "the-thaw-2" in toc_targets
    assert set(toc_targets) <= set(found.fragment_links)
    for target in found.fragment_links:
        assert target in found.ids, f"#{target} points nowhere"
    assert len(found.ids) == len(set(found.ids)), "duplicate ids on the page"


def test_toc_nests_subsections_in_their_own_list(client, published_article):
    page = client.get(published_article.get_absolute_url()).content.decode()

    toc = page[page.index('class="toc"') : page.index("</nav>", page.index('class="toc"'))]
    thaw, routes = toc.index("#the-thaw"), toc.index("#new-routes")
    assert "<ol>" in toc[thaw:routes], "the subsection sits in a nested list"


def test_figures_render_with_alt_caption_credit_and_dimensions(client, published_article):
    FigureFactory(
        article=published_article,
        alt_text="Map of the northern sea route",
        caption="Summer ice extent",
        credit="Graphics desk",
    )

    page = client.get(published_article.get_absolute_url()).content.decode()

    assert "<figure" in page
    assert 'alt="Map of the northern sea route"' in page
    assert "<figcaption>Summer ice extent" in page
    assert "Graphics desk" in page
    assert 'width="64" height="40"' in page


def test_author_box_shows_the_public_profile_with_social_counts(client, published_article):
    SocialLinkFactory(
        author=published_article.author, platform="LinkedIn", handle="mlindqvist", followers=12500
    )

    page = client.get(published_article.get_absolute_url()).content.decode()

    assert "Senior analyst, Geopolitics" in page
    assert "Writes about maritime security." in page
    assert "LinkedIn" in page and "mlindqvist" in page
    assert "12,500 followers" in page


def test_explore_more_shows_related_published_articles(client, published_article):
    related = ArticleFactory(
        published=True, tags=["Arctic"], title="Fishing rights in a warmer sea"
    )
    ArticleFactory(tags=["Arctic"], title="A draft on the same subject")

    page = client.get(published_article.get_absolute_url()).content.decode()

    assert "Explore more" in page
    assert related.title in page
    assert "A draft on the same subject" not in page


@pytest.mark.parametrize("trait", [{}, {"scheduled": True}])
def test_unpublished_articles_are_404_for_readers(client, trait):
    article = ArticleFactory(**trait)

    assert client.get(article.get_absolute_url()).status_code == 404


def test_editors_can_preview_a_draft(client, draft_article, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_article", "publish_article"])
    )
    client.force_login(editor)

    response = client.get(draft_article.get_absolute_url())

    assert response.status_code == 200
    assert "Preview: this article is not published" in response.content.decode()


def test_tag_page_lists_only_published_articles_with_that_tag(client, published_article):
    other = ArticleFactory(published=True, tags=["Energy"])

    page = client.get("/tags/arctic/").content.decode()

    assert published_article.title in page
    assert other.title not in page
    assert 'href="/tags/arctic/feed/"' in page


def test_tag_with_only_drafts_is_404(client):
    ArticleFactory(tags=["Secret plans"])

    assert client.get("/tags/secret-plans/").status_code == 404
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_author_page_shows_profile_and_published_articles(client, published_article, draft_article):
    response = client.get("/authors/mara-lindqvist/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in page and "Mara Lindqvist" in page
    assert "Writes about maritime security." in page
    assert published_article.title in page
    assert draft_article.title not in page


def test_author_without_published_articles_has_no_page(client):
    author = AuthorFactory()
    ArticleFactory(author=author)

    assert client.get(author.get_absolute_url()).status_code == 404


def test_search_finds_published_articles_by_section_text_only(client, published_article):
    SectionFactory(article=published_article, body="The icebreaker fleet matters.")
    draft = ArticleFactory(title="Icebreaker budgets")

    response = client.get("/search/", {"q": "icebreaker"})

    page = response.content.decode()
    assert published_article.title in page
    assert draft.title not in page
    assert "1 result for" in page


def test_search_requires_every_word(client, published_article):
    assert client.get("/search/", {"q": "thaw nonexistentword"}).context["paginator"].count == 0
    assert client.get("/search/", {"q": "thaw routes"}).context["paginator"].count == 1


def test_search_without_a_query_shows_the_form(client):
    response = client.get("/search/")

    assert response.status_code == 200
    assert "Type a few words" in response.content.decode()


def test_search_escapes_the_query(client):
    page = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_bad_page_numbers_are_404_not_500(client, published_article):
    assert client.get("/?page=99").status_code == 404
    assert client.get("/?page=abc").status_code == 404


def test_not_found_page_is_friendly(client):
    response = client.get("/articles/no-such-article/")

    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


def test_healthz_reports_ok_after_a_database_round_trip(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_reports_503_when_the_database_fails(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError):
        response = client.get("/healthz")

    assert response.status_code == 503


def test_robots_txt_points_at_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()

    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_lists_published_articles_and_authors_only(
    client, published_article, draft_article
):
    body = client.get("/sitemap.xml").content.decode()

    assert published_article.get_absolute_url() in body
    assert "/authors/mara-lindqvist/" in body
    assert draft_article.get_absolute_url() not in body


@pytest.mark.parametrize(
    "url",
    [
        "/feed/",
        "/feed/atom/",
        "/tags/arctic/feed/",
        "/tags/arctic/feed/atom/",
        "/authors/mara-lindqvist/feed/",
        "/authors/mara-lindqvist/feed/atom/",
    ],
)
def test_feeds_carry_published_articles_only(client, published_article, draft_article, url):
    draft_article.tags.add("Arctic")

    body = client.get(url).content.decode()

    assert published_article.title in body
    assert draft_article.title not in body


@pytest.mark.parametrize(
    "url", ["/feed/atom/", "/tags/arctic/feed/atom/", "/authors/mara-lindqvist/feed/atom/"]
)
def test_an_atom_feed_links_each_author_by_a_full_address(client, published_article, url):
    body = client.get(url).content.decode()

    assert "<uri>http://testserver/authors/mara-lindqvist/</uri>" in body
    assert "<uri>/" not in body


def test_every_page_advertises_the_feeds(client, published_article):
    for url in ["/", published_article.get_absolute_url(), "/tags/arctic/", "/search/"]:
        page = client.get(url).content.decode()
        assert 'rel="alternate" type="application/rss+xml"' in page
        assert 'rel="alternate" type="application/atom+xml"' in page


def test_markdownx_preview_and_upload_are_for_staff_only(client):
    preview = client.post(reverse("markdownx_markdownify"), {"content": "**x**"})
    upload = client.post(reverse("markdownx_upload"), {})

    assert preview.status_code == 302 and "/admin/login/" in preview["Location"]
    assert upload.status_code == 302 and "/admin/login/" in upload["Location"]


def test_markdownx_preview_uses_the_site_sanitiser(admin_client):
    response = admin_client.post(
        reverse("markdownx_markdownify"), {"content": "**bold** <script>x()</script>"}
    )

    assert response.status_code == 200
    assert b"<strong>bold</strong>" in response.content
    assert b"<script" not in response.content


def test_tags_in_any_script_have_working_pages_and_feeds(client):
    article = ArticleFactory(published=True, tags=["Арктика"])
    tag = article.tags.get()

    page = client.get(article.get_absolute_url()).content.decode()
    url = reverse("articles:tag", kwargs={"slug": tag.slug})

    assert url in page
    assert client.get(url).status_code == 200
    assert client.get(reverse("articles:tag-feed", kwargs={"slug": tag.slug})).status_code == 200


def test_figure_images_are_served_from_media(client, published_article):
    figure = FigureFactory(article=published_article)

    response = client.get(figure.image.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == figure.image.read()


def test_a_server_error_shows_the_friendly_500_page(client):
    client.raise_request_exception = False
    with mock.patch("articles.views.ArticleListView.get_queryset", side_effect=RuntimeError):
        response = client.get("/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
