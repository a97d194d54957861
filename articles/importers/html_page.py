"""
A web page saved from a browser (``.html``/``.htm``) becomes Markdown, then an article.

trafilatura finds the article in the page and leaves the site's chrome out
(navigation, cookie banners, share buttons, newsletter boxes, related links,
footers); we only turn its XML into the Markdown that ``markdown_text``
reads: ``h1`` is the title, paragraphs before the first ``h2`` are the
standfirst, ``h2``/``h3`` start sections and subsections, lists stay lists.

Two things trafilatura drops are taken out of the page first:

- the author box (an element whose class or id names the author, or the
  container of an "About the author" heading), whose lines are appended as
  the file's author block, so the author-block and privacy rules apply;
- figure captions, kept as an italic line where the figure was. Images are
  never downloaded (an import makes no network access): a note counts them.
"""

import re

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from .author_block import AUTHOR_FIELDS, is_block_heading
from .markdown_text import parse_markdown
from .parsed import ImportFailed, normalise_spaces
from .privacy import label_of

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S
)
_AUTHOR_BOX = re.compile(r"(?:^|[\s_-])(?:author|about-?author|author-?bio)(?:$|[\s_-])", re.I)
_AUTHOR_BOX_MAX_CHARACTERS = 2000
_BLOCKS = {"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "div", "td", "address"}
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])(?=\s|$)")


def looks_like_html(text):
    """True when ``text`` opens like an HTML document."""
    return bool(_HTML_START.match(normalise_spaces(text[:2000])))


def parse_html_page(text):
    """A ``ParsedArticle`` from a saved page; ``ImportFailed`` when it holds no article."""
    try:
        # Bytes with the encoding named, so an XML declaration or a stale
        # <meta charset> in the saved page cannot change how it is read.
        parser = lxml_html.HTMLParser(encoding="utf-8")
        tree = lxml_html.document_fromstring(normalise_spaces(text).encode(), parser=parser)
    except (etree.ParserError, ValueError):
        raise ImportFailed("the page is not readable HTML") from None
    author_lines = _take_author_box(tree)
    figures = _mark_figures(tree)
    xml = trafilatura.extract(
        tree,
        output_format="xml",
        include_formatting=True,
        include_images=True,
        include_tables=True,
        include_links=False,
        include_comments=False,
        with_metadata=True,
        deduplicate=False,
    )
    if not xml:
        raise ImportFailed("found no article text in the page")
    doc = etree.fromstring(xml.encode())
    lines, title = _markdown(doc)
    if not any(line.strip() and not line.startswith("#") for line in lines):
        raise ImportFailed("found no article text in the page")
    if not title:
        raise ImportFailed("no title: the page has no <h1> or <title>")
    # A byline or a box of prose is no author block: it is left out, not published.
    is_block = any(label_of(line)[0] in AUTHOR_FIELDS for line in author_lines)
    author = ["", "About the author", *author_lines] if is_block else []
    parsed = parse_markdown("\n".join([f"# {title}", "", *lines, *author]))
    if author_lines and not is_block:
        parsed.notes.append("The page's author box has no Name line; it was not imported.")
    if figures:
        parsed.notes.append(
            f"{figures} figure{'s were' if figures > 1 else ' was'} not imported "
            "(images are not downloaded); captions are kept as italic lines. "
            "Add the images in the admin."
        )
    return parsed


def _classes(element):
    return f"{element.get('class', '')} {element.get('id', '')}"


def _take_author_box(tree):
    """The author box's lines, the box taken out of the page."""
    boxes = [
        element
        for element in tree.iter("section", "div", "aside", "footer", "address")
        if _AUTHOR_BOX.search(_classes(element))
    ]
    for heading in tree.iter("h2", "h3", "h4", "h5", "h6", "p", "strong"):
        if is_block_heading(heading.text_content()) and heading.getparent() is not None:
            boxes.append(heading.getparent())
    boxes = [box for box in boxes if _small(box)]
    lines = []
    for box in boxes:
        if box.getparent() is None or any(outer in boxes for outer in box.iterancestors()):
            continue  # already taken, or inside another box
        lines += _lines(box)
        box.drop_tree()
    return lines


def _small(box):
    """True when ``box`` can be an author box rather than a page or an article."""
    return (
        len(box.text_content()) <= _AUTHOR_BOX_MAX_CHARACTERS
        and box.find(".//h1") is None
        and len(box.findall(".//h2")) <= 1
        and box.tag not in {"body", "html", "main", "article"}
    )


def _lines(box):
    """The text of each innermost block element of ``box``."""
    lines = []
    for element in box.iter():
        if not isinstance(element.tag, str) or element.tag not in _BLOCKS:
            continue
        if any(
            child.tag in _BLOCKS
            for child in element.iterdescendants()
            if isinstance(child.tag, str)
        ):
            continue
        text = " ".join(element.text_content().split())
        if text:
            lines.append(text)
    return lines


def _mark_figures(tree):
    """Replace each figure (and each image outside one) by its caption; returns their count."""
    count = 0
    for figure in list(tree.iter("figure")):
        count += 1
        caption = figure.find(".//figcaption")
        text = " ".join(caption.text_content().split()) if caption is not None else ""
        if text:
            paragraph = lxml_html.Element("p")
            emphasis = etree.SubElement(paragraph, "em")
            emphasis.text = text
            figure.addprevious(paragraph)
        figure.drop_tree()
    for image in list(tree.iter("img")):
        count += 1
        image.drop_tree()
    return count


def _markdown(doc):
    """``(Markdown lines, title)`` from trafilatura's XML.

    Headings and the standfirst (what precedes the first heading) are plain
    text fields, so only section bodies are written as escaped Markdown.
    """
    main = doc.find("main")
    title = " ".join((doc.get("title") or "").split())
    lines, in_sections = [], False
    for element in _blocks(main):
        plain = " ".join(" ".join(element.itertext()).split())
        if element.tag == "head":
            level = int(match[0]) if (match := re.search(r"[1-6]", element.get("rend", ""))) else 2
            if level == 1 and not lines:
                title = plain or title
            elif plain:
                lines += [f"{'#' * max(level, 2)} {plain}", ""]
                in_sections = True
        elif not in_sections:
            if plain:
                lines += [_LINE_START.sub(r"\1\\\2", plain), ""]
        elif element.tag == "list":
            for number, item in enumerate(element.findall("item"), start=1):
                marker = f"{number}." if element.get("rend") == "ol" else "-"
                lines.append(f"{marker} {_inline(item)}")
            lines.append("")
        elif element.tag == "quote":
            lines += [f"> {_inline(element)}", ""]
        elif element.tag == "table":
            for row in element.iter("row"):
                lines.append(" · ".join(_inline(cell) for cell in row.iter("cell")))
            lines.append("")
        elif element.tag == "code":
            lines += ["```", "".join(element.itertext()), "```", ""]
        elif text := _inline(element):
            lines += [text, ""]
    return lines, title


def _blocks(container):
    """The block elements of trafilatura's XML, its ``div`` wrappers opened."""
    for element in container if container is not None else []:
        if element.tag == "div":
            yield from _blocks(element)
        else:
            yield element


def _inline(element):
    """Markdown for the text of ``element``: italics and bold kept, the rest escaped."""
    parts = [_escape(element.text or "")]
    for child in element:
        inner = _inline(child) if child.tag != "graphic" else ""
        rend = child.get("rend", "")
        if child.tag == "hi" and inner.strip() and ("#b" in rend or "#i" in rend):
            mark = "**" if "#b" in rend else "*"
            inner = f"{mark}{inner.strip()}{mark}"
        elif child.tag == "lb":
            inner = " "
        parts += [inner, _escape(child.tail or "")]
    text = " ".join("".join(parts).split())
    return _LINE_START.sub(r"\1\\\2", text)


def _escape(text):
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)
