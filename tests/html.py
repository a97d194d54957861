"""Small helpers to read rendered pages the way a browser would."""

from html.parser import HTMLParser


class PageOutline(HTMLParser):
    """Collects element ids, in-page links and headings from a page."""

    def __init__(self):
        super().__init__()
        self.ids = []
        self.fragment_links = []
        self.h1_count = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        href = attrs.get("href") or ""
        if tag == "a" and href.startswith("#") and len(href) > 1:
            self.fragment_links.append(href[1:])
        if tag == "h1":
            self.h1_count += 1


def outline(response):
    parser = PageOutline()
    parser.feed(response.content.decode())
    return parser
