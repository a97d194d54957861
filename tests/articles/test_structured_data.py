"""What search engines and sharing previews read: JSON-LD, Open Graph, Twitter, news sitemap."""

import datetime
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..factories import ArticleFactory, AuthorFactory, FigureFactory, SectionFactory

pytestmark = pytest.mark.django_db

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class Head(HTMLParser):
    """The <meta>, <link rel=canonical> and ld+json scripts of a page, as a browser parses them."""

    def __init__(self):
        super().__init__()
        self.meta = []
        self.canonical = []
        self.scripts = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            self.meta.append((key, attrs.get("content")))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "script":
            self._in_ld = attrs.get("type") == "application/ld+json"
            if self._in_ld:
                self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.scripts[-1] += data

    def values(self, key):
        return [content for name, content in self.meta if name == key]


def head_of(response):
    parser = Head()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def article(db):
    author = AuthorFactory(name="Ines Carvalho", slug="ines-carvalho", with_private_details=True)
    article = ArticleFactory(
        published=True,
        author=author,
        title="Ports and power",
        slug="ports-and-power",
        standfirst="Who owns the harbours decides the trade.",
        tags=["Ports", "Trade"],
    )
    SectionFactory(article=article, heading="Harbours")
    FigureFactory(article=article, position=2, alt_text="Second figure")
    FigureFactory(article=article, position=1, alt_text="A container terminal at dusk")
    return article


def test_json_ld_describes_the_article_with_absolute_urls(client, article):
    head = head_of(client.get(article.get_absolute_url()))

    [script] = head.scripts
    data = json.loads(script)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Ports and power"
    assert data["description"] == "Who owns the harbours decides the trade."
    assert data["mainEntityOfPage"]["@id"] == "http://testserver/articles/ports-and-power/"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Ines Carvalho",
            "url": "http://testserver/authors/ines-carvalho/",
        }
    ]
    published = datetime.datetime.fromisoformat(data["datePublished"])
    assert published == article.published_at.replace(microsecond=0)
    assert data["dateModified"] == data["datePublished"]
    first_figure = article.figures.get(alt_text="A container terminal at dusk")
    assert data["image"] == [f"http://testserver{first_figure.image.url}"]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"]
    assert data["publisher"]["logo"]["url"].startswith("http://testserver/static/")
    assert "correction" not in data


def test_no_private_author_detail_reaches_the_head(client, article):
    page = client.get(article.get_absolute_url()).content.decode()

    for secret in ("private.author@example.org", "+44 20 7946 0000", "12 Hidden Lane", "1970"):
        assert secret not in page


def test_open_graph_and_twitter_tags(client, article):
    head = head_of(client.get(article.get_absolute_url()))

    url = "http://testserver/articles/ports-and-power/"
    first_figure = article.figures.get(alt_text="A container terminal at dusk")
    assert head.canonical == [url]
    assert head.values("og:type") == ["article"]
    assert head.values("og:title") == ["Ports and power"]
    assert head.values("og:description") == ["Who owns the harbours decides the trade."]
    assert head.values("og:url") == [url]
    assert head.values("og:image") == [f"http://testserver{first_figure.image.url}"]
    assert sorted(head.values("article:tag")) == ["Ports", "Trade"]
    published = head.values("article:published_time")[0]
    assert datetime.datetime.fromisoformat(published) == article.published_at.replace(microsecond=0)
    assert head.values("article:modified_time") == [published]
    assert head.values("twitter:card") == ["summary_large_image"]


def test_without_a_figure_the_card_is_a_summary_and_there_is_no_image(client):
    article = ArticleFactory(published=True)

    head = head_of(client.get(article.get_absolute_url()))

    assert head.values("twitter:card") == ["summary"]
    assert head.values("og:image") == []
    assert "image" not in json.loads(head.scripts[0])


def test_a_draft_seen_by_an_editor_has_no_canonical_or_sharing_tags(admin_client):
    draft = ArticleFactory(title="Not yet")

    head = head_of(admin_client.get(draft.get_absolute_url()))

    assert head.canonical == []
    assert head.scripts == []
    assert head.values("og:url") == []
    assert head.values("robots") == ["noindex"]


def test_a_title_cannot_break_out_of_the_json_ld_script(client):
    title = 'Ports </script><script>alert("x")</script> & <!-- power'
    article = ArticleFactory(published=True, title=title, standfirst="</SCRIPT > too")

    page = client.get(article.get_absolute_url()).content.decode()

    head = head_of(client.get(article.get_absolute_url()))
    [script] = head.scripts
    assert json.loads(script)["headline"] == title
    assert json.loads(script)["description"] == "</SCRIPT > too"
    assert '<script>alert("x")' not in page
    assert head.values("og:title") == [title]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=st.text(min_size=1, max_size=120).filter(lambda t: t.strip() and "\x00" not in t))
def test_any_title_round_trips_through_the_json_ld(client, title):
    article = ArticleFactory(published=True, title=title)

    head = head_of(client.get(article.get_absolute_url()))

    assert len(head.scripts) == 1
    assert json.loads(head.scripts[0])["headline"] == title[:110]
    article.delete()


# --- Google News sitemap -----------------------------------------------------------


def test_news_sitemap_lists_only_public_articles_of_the_last_two_days(client):
    now = timezone.now()
    fresh = ArticleFactory(
        published=True, title="Fresh & new", published_at=now - datetime.timedelta(hours=5)
    )
    ArticleFactory(published=True, title="Old news", published_at=now - datetime.timedelta(days=3))
    ArticleFactory(title="A draft of today")
    ArticleFactory(scheduled=True, title="Held back")

    response = client.get("/sitemap-news.xml")

    assert response.status_code == 200
    tree = ET.fromstring(response.content)  # noqa: S314 (our own sitemap)
    urls = tree.findall(f"{SITEMAP}url")
    assert [url.find(f"{SITEMAP}loc").text for url in urls] == [
        f"http://testserver{fresh.get_absolute_url()}"
    ]
    news = urls[0].find(f"{NEWS}news")
    assert news.find(f"{NEWS}title").text == "Fresh & new"
    assert news.find(f"{NEWS}publication/{NEWS}name").text
    assert news.find(f"{NEWS}publication/{NEWS}language").text == "en"
    published = datetime.datetime.fromisoformat(news.find(f"{NEWS}publication_date").text)
    assert published == fresh.published_at
    body = response.content.decode()
    for hidden in ("Old news", "A draft of today", "Held back"):
        assert hidden not in body


def test_robots_txt_names_both_sitemaps(client):
    lines = client.get("/robots.txt").content.decode().splitlines()

    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
