from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.markdown import render_markdown

HOSTILE = """
Intro <script>alert('owned')</script> text.

<img src="x.png" onerror="alert(1)">

[click me](javascript:alert(document.cookie))

<iframe src="https://evil.example/embed"></iframe>

<a href="#" onclick="steal()">plain</a>

<p style="position:fixed">styled</p>
"""


def test_script_event_handlers_javascript_links_and_iframes_are_removed():
    html = render_markdown(HOSTILE)

    assert "<script" not in html
    assert "alert('owned')" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html
    assert "style=" not in html
    # What is harmless survives.
    assert "Intro" in html and "text." in html
    assert "click me" in html
    assert '<img src="x.png">' in html


def test_links_are_nofollow_noopener():
    html = render_markdown("See [the treaty](https://example.org/treaty).")

    assert 'href="https://example.org/treaty"' in html
    assert 'rel="nofollow noopener"' in html


def test_footnotes_render_with_prefixed_ids_so_sections_never_share_ids():
    text = "A claim.[^1]\n\n[^1]: A source, 2024."

    first = render_markdown(text, id_prefix="the-thaw")
    second = render_markdown(text, id_prefix="who-decides")

    assert 'id="the-thaw-fn:1"' in first
    assert 'href="#the-thaw-fn:1"' in first
    assert 'id="who-decides-fn:1"' in second
    assert "A source, 2024." in first


def test_headings_typed_in_a_body_sit_below_the_section_heading():
    html = render_markdown("# Big\n\n## Smaller\n\ntext")

    assert "<h1" not in html and "<h2" not in html
    assert "<h4>Big</h4>" in html
    assert "<h5>Smaller</h5>" in html


def test_tables_and_emphasis_render():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n**bold** and *soft*")

    assert "<table>" in html
    assert "<strong>bold</strong>" in html
    assert "<em>soft</em>" in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown("   \n ") == ""


class _MarkupAudit(HTMLParser):
    """Collects the tags and attributes of rendered HTML (text content is inert)."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.extend(attrs)


def audit(html):
    parser = _MarkupAudit()
    parser.feed(html)
    return parser


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<script>x()</script>",
                "<img src=x onerror=alert(1)>",
                "[a](javascript:alert(1))",
                "<iframe src=//e></iframe>",
                "<svg onload=alert(1)>",
                "<a href='JaVaScRiPt:alert(1)'>x</a>",
                "<object data=x></object>",
                "<embed src=x>",
                "<body onload=x()>",
                "**bold**",
                "\n\n",
                "[^1]",
                "text",
                "<",
                ">",
                "`code`",
            ]
        )
        | st.text(max_size=20),
        max_size=12,
    )
)
def test_no_dangerous_markup_survives_any_mix(parts):
    found = audit(render_markdown("".join(parts)))

    assert not found.tags & {"script", "iframe", "object", "embed", "svg", "body", "style"}
    for name, value in found.attributes:
        assert not name.startswith("on")
        assert name != "style"
        assert "javascript:" not in (value or "").replace(" ", "").lower()
