"""Keyboard only: a skip link first, a visible focus ring on every stop."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/articles/ice-shipping-sovereignty/"

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 60),
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
        inViewport: box.bottom > 0 && box.top < innerHeight && box.width > 0 && box.height > 0,
    };
}"""


def focused(page):
    return page.evaluate(FOCUSED)


@pytest.mark.parametrize("url", ["/", ARTICLE])
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, reading_article, url):
    page.goto(url)
    page.keyboard.press("Tab")
    first = focused(page)
    assert (first["tag"], first["text"]) == ("a", "Skip to content")
    assert first["inViewport"], "the skip link must show itself when focused"

    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.keyboard.press("Tab")
    # The next Tab after skipping lands inside the main content.
    expect(page.locator("#main :focus")).to_have_count(1)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_every_tab_stop_on_the_article_has_a_visible_focus_outline(
    new_page, reading_article, color_scheme
):
    page = new_page(color_scheme=color_scheme)
    page.goto(ARTICLE)
    stops = []
    for _ in range(80):
        page.keyboard.press("Tab")
        stop = focused(page)
        if stop["tag"] == "body" or (stops and stop == stops[0]):
            break
        stops.append(stop)

    assert len(stops) > 10, "the article's links and controls are reachable by Tab"
    unmarked = [s for s in stops if s["outlineStyle"] == "none" or s["outlineWidth"] < 2]
    assert not unmarked, f"focused without a visible outline: {unmarked}"
    offscreen = [s for s in stops if not s["inViewport"]]
    assert not offscreen, f"focused but scrolled out of view: {offscreen}"


ACCESSIBLE_NAME = """() => {
    const el = document.activeElement;
    if (el.labels && el.labels.length) return el.labels[0].textContent.trim();
    return (el.innerText || el.value || "").trim();
}"""


def test_comment_form_completes_with_tab_and_enter(page, reading_article):
    page.goto(ARTICLE)
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate(ACCESSIBLE_NAME) == "Name":
            break
    assert page.evaluate(ACCESSIBLE_NAME) == "Name", "the comment form is reachable by Tab"

    page.keyboard.type("Ines Okafor")
    stops = []
    typing = {"Email": "ines@example.org", "Comment": "Read with the keyboard alone."}
    for _ in range(5):
        page.keyboard.press("Tab")
        stop = page.evaluate(ACCESSIBLE_NAME)
        stops.append(stop)
        if stop in typing:
            page.keyboard.type(typing[stop])
    assert stops == [
        "Email",
        "Responding to",
        "Comment",
        "Email me when my comment is approved or answered",
        "Send for moderation",
    ]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Thank you — your comment is awaiting moderation.")).to_be_visible()
