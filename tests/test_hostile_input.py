"""Bad input never breaks a public page: it gets a 4xx or a clear message, or it works."""

import xml.etree.ElementTree as ET
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import search, search_sql
from articles.models import RESERVED_ANCHORS, Article, Section

from .articles.admin_forms import inline_management, untouched_inlines
from .factories import ArticleFactory, AuthorFactory, CommentFactory, SectionFactory
from .html import outline
from .public_urls import public_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def em_dash_article(db):
    article = ArticleFactory(
        published=True, slug="dash-tagged", tags=["—", "Energy"], title="A dashing title"
    )
    SectionFactory(article=article, heading="Pipelines", body="Gas flows east and west.")
    return article


def test_a_tag_without_letters_leaves_every_page_up(client, em_dash_article):
    for url in [
        "/",
        em_dash_article.get_absolute_url(),
        em_dash_article.author.get_absolute_url(),
        "/tags/energy/",
        "/search/?q=pipelines",
        "/search/?q=dashing",
        "/feed/",
        "/sitemap.xml",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(em_dash_article.get_absolute_url()).content.decode()
    assert '<span class="tag">—</span>' in page


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("—, Energy", "needs at least one letter or digit"),
        ("x" * 150, "longer than 100"),
        ("evil\u202egnp.exe", "invisible control character"),
    ],
)
def test_the_admin_refuses_a_tag_that_cannot_have_an_address(admin_client, tags, message):
    author = AuthorFactory()
    data = {
        "title": "Tagged badly",
        "slug": "tagged-badly",
        "standfirst": "A lede.",
        "author": author.pk,
        "tags": tags,
        "status": "draft",
        **inline_management("sections", 0),
        **inline_management("figures", 0),
        **untouched_inlines(),
    }

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.filter(slug="tagged-badly").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q=ports%00harbours",
        "/?page=%00",
        "/admin/comments/comment/?status=%00",
        "/admin/comments/comment/?removal_reason=%00",
        "/admin/articles/article/?status=%00",
        "/admin/articles/article/?q=%00",
    ],
)
def test_a_nul_character_in_the_address_is_a_400(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "shift_jis"])
def test_a_form_sent_in_another_encoding_is_a_400_that_says_so(settings, debug, charset):
    """Django refuses such a form when the view reads it; with DEBUG on its error page read
    the form again and answered 500 (found by a hostile-stranger pass)."""
    settings.DEBUG = debug
    article = ArticleFactory(published=True)
    response = Client(raise_request_exception=False).post(
        reverse("comments:post", args=[article.slug]),
        data=b"name=C&email=c@example.org&body=hello",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )

    assert response.status_code == 400
    assert "send it encoded as UTF-8" in response.content.decode()
    assert not article.comments.exists()


@pytest.mark.parametrize("url", ["/healthz", "/robots.txt", "/", "/feed/"])
def test_head_answers_like_get(client, url):
    assert client.head(url).status_code == 200


@pytest.mark.parametrize("method", ["trace", "put", "delete", "patch"])
@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/", "/healthz"])
def test_methods_the_site_does_not_take_are_refused(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert "TRACE" not in response["Allow"]


def test_feeds_refuse_a_post(client):
    assert client.post("/feed/").status_code == 405


def test_search_refuses_a_post_as_a_wrong_method(client):
    response = Client(enforce_csrf_checks=True).post("/search/", {"q": "arctic"})

    assert response.status_code == 405
    assert "POST" not in response["Allow"] and "GET" in response["Allow"]


def test_a_hundred_one_letter_words_search_nothing_and_say_so(client, em_dash_article):
    words = " ".join("abcdefghijklmnopqrstuvwxyz"[n % 26] for n in range(100))

    response = client.get("/search/", {"q": words})

    assert response.status_code == 200
    assert "100 words left out" in response.content.decode()
    assert response.context["paginator"] is None or response.context["paginator"].count == 0


def test_a_search_uses_at_most_eight_words_whatever_it_is_sent(
    client, em_dash_article, django_assert_max_num_queries
):
    # The cost of a search grows with its words; it must stop growing at eight.
    eight = " ".join(f"w{n}" for n in range(8))
    with django_assert_max_num_queries(50) as eight_words:
        client.get("/search/", {"q": eight})
    hundred = " ".join(f"w{n}" for n in range(100))
    with django_assert_max_num_queries(len(eight_words.captured_queries)) as hundred_words:
        response = client.get("/search/", {"q": hundred})

    assert "words left out" in response.content.decode()
    longest = max(len(query["sql"]) for query in eight_words.captured_queries)
    assert max(len(query["sql"]) for query in hundred_words.captured_queries) <= longest


@given(st.text(max_size=400))
def test_search_terms_are_bounded_for_any_text(text):
    query = search.search_query(text)
    assert len(query.terms) <= search.MAX_TERMS
    assert len(query.text) <= search.MAX_QUERY_LENGTH
    assert all(len(term) >= search.MIN_TERM_LENGTH for term in query.terms)
    assert "\x00" not in query.text


def test_search_never_finds_text_hidden_from_readers(client):
    article = ArticleFactory(published=True, slug="hidden-words")
    SectionFactory(
        article=article,
        heading="Visible",
        body="Plain words here. <!-- zqhiddenword in a comment --> <script>zqscriptword</script>",
    )

    assert client.get("/search/", {"q": "zqhiddenword"}).context["paginator"].count == 0
    assert client.get("/search/", {"q": "zqscriptword"}).context["paginator"].count == 0
    assert client.get("/search/", {"q": "plain words"}).context["paginator"].count == 1


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feed_descriptions_escape_what_the_editor_typed(client, url):
    ArticleFactory(
        published=True,
        slug="payload",
        standfirst='<script>alert("feed")</script><img src=x onerror=alert(1)> & more',
    )

    tree = ET.fromstring(client.get(url).content)  # noqa: S314 (our own feed)

    descriptions = [
        element.text
        for element in tree.iter()
        if element.tag in {"description", "{http://www.w3.org/2005/Atom}summary"}
        and element.text
        and "alert" in element.text
    ]
    assert descriptions, "the standfirst should be in the feed"
    for html in descriptions:
        # What a reader that renders HTML receives: escaped text, never a tag.
        assert "<script" not in html and "<img" not in html
        assert "&lt;script&gt;" in html and "&amp; more" in html


def test_a_heading_named_like_the_page_own_ids_gets_another_anchor(client):
    article = ArticleFactory(published=True, slug="clash")
    headings = ["Comments", "Comment form", "TOC", "Main", "Oil", "Oil heading", "Related"]
    for position, heading in enumerate(headings):
        SectionFactory(article=article, heading=heading, position=position)

    anchors = list(article.sections.values_list("anchor", flat=True))
    ids = outline(client.get(article.get_absolute_url())).ids

    assert not set(anchors) & RESERVED_ANCHORS
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_an_editor_cannot_type_an_anchor_the_page_uses():
    article = ArticleFactory()
    section = Section(article=article, heading="Talk", anchor="comments", position=1)
    with pytest.raises(Exception, match="page uses this address"):
        section.full_clean()


def test_ids_typed_into_markdown_are_dropped_but_footnotes_get_the_pages(client):
    article = ArticleFactory(published=True, slug="clobber")
    SectionFactory(
        article=article,
        heading="Sources",
        body=(
            'A claim.[^1] <a id="comments" href="#x">x</a> <sup id="toc">y</sup>'
            ' <li id="fn:1">z</li>\n\n[^1]: A source.'
        ),
    )

    ids = outline(client.get(article.get_absolute_url())).ids

    assert ids.count("comments") == 1  # the page's own comments section only
    assert ids.count("toc") <= 1
    assert ids.count("fn:1") == 1 and ids.count("fnref:1") == 1


@st.composite
def raw_query_strings(draw):
    names = ["q", "page", "reply_to", "section", "status", "o", "p", "sort", "tag", "x"]
    pairs = draw(
        st.lists(
            st.tuples(
                st.sampled_from(names),
                st.one_of(
                    st.binary(max_size=300),
                    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
                    st.just(("a" * 5000).encode()),
                ),
            ),
            max_size=4,
        )
    )
    return "&".join(f"{name}={quote_from_bytes(value)}" for name, value in pairs)


@pytest.fixture
def every_public_url(db):
    author = AuthorFactory(slug="ana-reyes")
    article = ArticleFactory(
        published=True, slug="straits", author=author, tags=["Sea"], countries=["tr"]
    )
    section = SectionFactory(article=article, heading="Narrows")
    from .factories import CommentFactory

    comment = CommentFactory(article=article, approved=True)
    urls, uncovered = public_urls(
        {
            "slug": ["straits", "sea", "ana-reyes", "middle-east"],
            "code": ["tr", "TR", "zz"],
            "anchor": [section.anchor],
            "pk": [comment.pk],
            "token": ["not-a-token"],
        }
    )
    assert not uncovered
    return urls


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=raw_query_strings())
def test_no_public_get_answers_5xx_whatever_its_parameters(client, every_public_url, query):
    for url in every_public_url:
        response = client.get(url, QUERY_STRING=query)
        assert response.status_code < 500, (url, query)


@pytest.mark.postgres
def test_a_search_that_runs_too_long_is_cancelled_with_a_message(client, monkeypatch):
    article = ArticleFactory(published=True, slug="slow", title="Slow waters")
    search.refresh_search_vector(article)
    original = search_sql.page_statement

    def slow_statement(periods):  # every search's one statement, 200 ms slower
        return (
            original(periods)
            .replace("WITH newest AS (", "WITH nap AS (SELECT pg_sleep(0.2)), newest AS (", 1)
            .replace("FROM newest) AS counted", "FROM newest, nap) AS counted", 1)
        )

    monkeypatch.setattr(search_sql, "page_statement", slow_statement)
    monkeypatch.setattr(search, "TIME_LIMIT_MS", 50)

    response = client.get("/search/", {"q": "slow"})

    assert response.status_code == 200
    assert "took too long" in response.content.decode()
    # The site is still usable afterwards: the cancelled transaction was rolled back.
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "selection", [["abc"], ["1", "x"], ["１２"], ["-1"], [" 5"], ["9" * 30], ["1e3"]]
)
def test_a_list_action_on_a_selection_that_is_not_row_numbers_is_a_400(admin_user, selection):
    """Django's admin answered 500 (it filtered the rows by the values as they came)."""
    comment = CommentFactory()
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    answer = client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve_selected", "_selected_action": [str(comment.pk), *selection]},
    )

    assert answer.status_code == 400
    assert "The selection could not be read" in answer.content.decode()
    comment.refresh_from_db()
    assert comment.status == "pending"


@pytest.mark.parametrize(
    "query",
    [
        "created_at__year=99999999999",
        "created_at__year=2026&created_at__month=99999999999",
        "created_at__year=2026&created_at__month=1&created_at__day=+99999999999",
    ],
)
def test_a_date_filter_beyond_any_date_is_a_400(admin_user, query):
    """Django's admin answered 500 (an integer too large for a date)."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)

    answer = client.get(f"{reverse('admin:comments_comment_changelist')}?{query}")

    assert answer.status_code == 400
    assert "That date is out of range." in answer.content.decode()


def test_an_ordinary_date_filter_and_action_still_work(admin_client):
    comment = CommentFactory()
    changelist = reverse("admin:comments_comment_changelist")

    assert admin_client.get(f"{changelist}?created_at__year=2026&status=all").status_code == 200
    admin_client.post(changelist, {"action": "approve_selected", "_selected_action": [comment.pk]})

    comment.refresh_from_db()
    assert comment.status == "approved"
