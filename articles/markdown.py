"""
Render editors' Markdown to HTML that is safe to serve.

Markdown is rendered once, when a section or a bio is saved, and the result is
sanitised with nh3 against an allowlist: no script, no event handlers, no
``javascript:`` URLs, no iframes. Links get ``rel="nofollow noopener"``.
Footnotes (for sources) are supported; their ids take a prefix so that several
sections on one page never share an id.
"""

import html as html_lib
import re

import markdown
import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "li": {"id"},
    "ol": {"start"},
    "sup": {"id"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
}

EXTENSIONS = ["footnotes", "tables", "fenced_code", "sane_lists", "smarty"]

# Sections render under the page's own <h2>/<h3>, so headings typed inside a
# body start at <h4>.
_HEADING_TAG = re.compile(r"<(/?)h([1-6])([ >])")
_FOOTNOTE_ID = re.compile(r'(id="|href="#)(fn|fnref)(:)')


def _demote_headings(html):
    return _HEADING_TAG.sub(
        lambda match: f"<{match[1]}h{min(int(match[2]) + 3, 6)}{match[3]}",
        html,
    )


def render_markdown(text, *, id_prefix=""):
    """Return sanitised HTML for ``text``; ``id_prefix`` keeps footnote ids unique."""
    if not text or not text.strip():
        return ""
    html = markdown.markdown(text, extensions=EXTENSIONS, output_format="html")
    html = _demote_headings(html)
    if id_prefix:
        html = _FOOTNOTE_ID.sub(lambda m: f"{m[1]}{id_prefix}-{m[2]}{m[3]}", html)
    return sanitise_html(html, id_prefix=id_prefix)


def _footnote_ids_only(id_prefix):
    """An nh3 attribute filter: the only ids kept are footnote ids the renderer made.

    An id typed by an editor (``<a id="comments">``) could collide with the
    page's own ids or shadow a global name a script reads (DOM clobbering).
    """
    prefix = f"{re.escape(id_prefix)}-" if id_prefix else ""
    allowed = re.compile(rf"^{prefix}fn(?:ref\d*)?:[\w-]+$")

    def keep(tag, attribute, value):
        if attribute == "id" and not allowed.match(value):
            return None
        return value

    return keep


def sanitise_html(html, *, id_prefix=""):
    """Strip everything outside the allowlist from ``html``."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel="nofollow noopener",
        strip_comments=True,
        attribute_filter=_footnote_ids_only(id_prefix),
    )


def plain_text(html):
    """The words readers see in sanitised ``html``: tags dropped, entities decoded."""
    text = nh3.clean(html, tags=set(), strip_comments=True)
    return " ".join(html_lib.unescape(text).split())


def count_words(text):
    """Words in Markdown source, close enough for a reading-time estimate."""
    return len(re.findall(r"[\w’'-]+", text or ""))
