"""What readers see of comments on the article page, the section pages, feeds and lists."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ..factories import ArticleFactory, CommentFactory, SectionFactory
from ..html import outline

pytestmark = pytest.mark.django_db


def ago(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def comment_ids(page):
    return [int(pk) for pk in re.findall(r'<li class="comment" id="comment-(\d+)"', page)]


def test_approved_comments_are_threaded_oldest_first(client, open_article):
    first = CommentFactory(article=open_article, approved=True, created_at=ago(50))
    second = CommentFactory(article=open_article, approved=True, created_at=ago(40))
    late_reply = CommentFactory(article=open_article, parent=first, approved=True)
    early_reply = CommentFactory(article=open_article, parent=first, approved=True)
    late_reply.created_at, early_reply.created_at = ago(10), ago(30)
    late_reply.save()
    early_reply.save()
    CommentFactory(article=open_article, parent=first)  # pending: not shown

    page = page_of(client, open_article.get_absolute_url())

    assert comment_ids(page) == [first.pk, early_reply.pk, late_reply.pk, second.pk]
    first_block = page[
        page.index(f'id="comment-{first.pk}"') : page.index(f'id="comment-{second.pk}"')
    ]
    assert 'class="comment-list comment-list--replies"' in first_block


def test_each_comment_shows_permalink_name_date_and_the_section_it_answers(client, open_article):
    section = open_article.sections.get(anchor="navies")
    comment = CommentFactory(
        article=open_article,
        section=section,
        approved=True,
        name="Kwame",
        created_at=timezone.make_aware(datetime.datetime(2026, 3, 4, 9, 30)),
    )

    page = page_of(client, open_article.get_absolute_url())
    block = page[page.index(f'id="comment-{comment.pk}"') :]

    assert f'href="#comment-{comment.pk}"' in block
    assert "Kwame" in block
    assert "4 March 2026" in block
    assert 'on <a href="#navies">Navies</a>' in block
    assert f"comment-{comment.pk}" in outline(client.get(open_article.get_absolute_url())).ids


def test_the_approved_count_is_shown_on_the_article(client, open_article):
    CommentFactory.create_batch(3, article=open_article, approved=True)
    CommentFactory(article=open_article)

    page = page_of(client, open_article.get_absolute_url())

    assert '<a href="#comments">3 comments</a>' in page
    assert ">3 comments</h2>" in page


def test_a_quiet_line_says_how_many_were_removed_and_why_but_not_what(client, open_article):
    CommentFactory.create_batch(
        2, article=open_article, rejected=True, removal_reason="abusive", body="Nasty words."
    )
    CommentFactory(article=open_article, spam=True, body="Buy pills.")

    page = page_of(client, open_article.get_absolute_url())

    assert "3 comments removed: 2 abusive, 1 spam" in page
    assert "Nasty words." not in page and "Buy pills." not in page


def test_no_removal_line_when_nothing_was_removed(client, open_article):
    CommentFactory(article=open_article, approved=True)

    assert "removed:" not in page_of(client, open_article.get_absolute_url())


def test_the_table_of_contents_counts_approved_responses_per_section(client, open_article):
    hormuz = open_article.sections.get(anchor="hormuz")
    parent = CommentFactory(article=open_article, section=hormuz, approved=True)
    CommentFactory(article=open_article, parent=parent, approved=True)
    CommentFactory(article=open_article, section=hormuz)  # pending
    CommentFactory(article=open_article, approved=True)  # on the whole article

    page = page_of(client, open_article.get_absolute_url())
    toc = page[page.index('class="toc"') : page.index("</nav>", page.index('class="toc"'))]

    assert re.search(
        r'href="#hormuz">Hormuz</a>\s*<span class="toc__responses">2 responses</span>', toc
    )
    assert toc.count("toc__responses") == 1


def test_a_sections_responses_can_be_read_on_their_own(client, open_article):
    navies = open_article.sections.get(anchor="navies")
    mine = CommentFactory(article=open_article, section=navies, approved=True, body="Fleet sizes.")
    reply = CommentFactory(article=open_article, parent=mine, approved=True, body="Yes, and ports.")
    CommentFactory(article=open_article, approved=True, body="About the whole piece.")
    CommentFactory(article=open_article, section=navies, body="Still pending.")
    url = reverse("comments:section", args=[open_article.slug, "navies"])

    article_page = page_of(client, open_article.get_absolute_url())
    page = page_of(client, url)

    assert f'href="{url}">Read 2 responses to this section</a>' in article_page
    assert comment_ids(page) == [mine.pk, reply.pk]
    assert "About the whole piece." not in page and "Still pending." not in page
    assert outline(client.get(url)).h1_count == 1
    assert "Responses to “Navies”" in page


def test_section_pages_of_unknown_sections_or_drafts_are_404(client, open_article):
    draft = ArticleFactory()
    SectionFactory(article=draft, heading="Secret")

    assert (
        client.get(reverse("comments:section", args=[open_article.slug, "nope"])).status_code == 404
    )
    assert client.get(reverse("comments:section", args=[draft.slug, "secret"])).status_code == 404


def test_the_comments_feed_lists_approved_comments_and_is_advertised(client, open_article):
    CommentFactory(article=open_article, approved=True, body="Public point.", name="Ravi")
    CommentFactory(article=open_article, body="Pending point.")
    url = reverse("comments:feed", args=[open_article.slug])

    feed = page_of(client, url)
    page = page_of(client, open_article.get_absolute_url())

    assert "Public point." in feed and "Ravi" in feed
    assert "Pending point." not in feed
    assert (
        f'type="application/rss+xml" title="Comments on {open_article.title} (RSS)" href="{url}"'
        in page
    )
    assert client.get(reverse("comments:feed", args=[ArticleFactory().slug])).status_code == 404


def build_article_with_comments(slug, approved):
    """Threads of four: a comment, a reply, a reply to that, another reply."""
    article = ArticleFactory(published=True, slug=slug, tags=[f"{slug} tag"])
    sections = [SectionFactory(article=article, position=n) for n in range(4)]
    for n in range(approved):
        if n % 4 == 0:
            top = parent = None
        elif n % 4 == 3:
            parent = top
        comment = CommentFactory(
            article=article, parent=parent, section=sections[n % 4], approved=True
        )
        top = top or comment
        parent = comment
    if approved:
        CommentFactory.create_batch(3, article=article, rejected=True, removal_reason="abusive")
    return article


def test_article_page_query_count_is_the_same_with_0_and_200_threaded_comments(
    client, django_assert_max_num_queries
):
    empty = build_article_with_comments("quiet", approved=0)
    busy = build_article_with_comments("busy", approved=200)
    assert busy.comments.filter(parent__parent__isnull=False).exists(), "three levels deep"

    with CaptureQueriesContext(connection) as quiet_queries:
        assert client.get(empty.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(quiet_queries)):
        response = client.get(busy.get_absolute_url())

    assert len(comment_ids(response.content.decode())) == 200


def test_a_reply_link_costs_no_extra_query(client, django_assert_max_num_queries):
    article = build_article_with_comments("replying", approved=20)
    target = article.comments.filter(depth=0).first()

    with CaptureQueriesContext(connection) as plain:
        client.get(article.get_absolute_url())
    with django_assert_max_num_queries(len(plain)):
        client.get(f"{article.get_absolute_url()}?reply_to={target.pk}&section=x")


def test_list_pages_show_approved_counts_and_stay_flat(client, django_assert_max_num_queries):
    first, second, silent = (ArticleFactory(published=True, tags=["Ports"]) for _ in range(3))
    CommentFactory.create_batch(2, article=first, approved=True)
    CommentFactory(article=first)
    CommentFactory(article=second, approved=True)

    with CaptureQueriesContext(connection) as small:
        client.get("/")
    for _ in range(6):
        CommentFactory.create_batch(3, article=ArticleFactory(published=True), approved=True)

    with django_assert_max_num_queries(len(small)):
        home = client.get("/").content.decode()
    tag_page = client.get("/tags/ports/").content.decode()

    for html in (home, tag_page):
        assert f'href="{first.get_absolute_url()}#comments">2 comments</a>' in html
        assert f'href="{second.get_absolute_url()}#comments">1 comment</a>' in html
        assert silent.get_absolute_url() + "#comments" not in html
