"""How an article reads on a phone, a wide screen, in the dark and on paper."""

import pytest
from playwright.sync_api import expect

from .chromium import DESKTOP, MOBILE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/articles/ice-shipping-sovereignty/"

TYPE_SIZES = """() => {
    const px = (selector) =>
        parseFloat(getComputedStyle(document.querySelector(selector)).fontSize);
    const paragraph = document.querySelector(".article__body .prose p");
    const style = getComputedStyle(paragraph);
    return {
        h1: px("h1"), h2: px(".article__body h2"), h3: px(".article__body h3"),
        body: parseFloat(style.fontSize),
        lineHeight: parseFloat(style.lineHeight) / parseFloat(style.fontSize),
        measure: paragraph.getBoundingClientRect().width / parseFloat(style.fontSize),
    };
}"""

LUMINANCE = """(selector) => {
    const style = getComputedStyle(document.querySelector(selector));
    const channel = (c) => {
        c /= 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    const lum = (rgb) => {
        const [r, g, b] = rgb.match(/\\d+/g).map(Number);
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    return {background: lum(style.backgroundColor), text: lum(style.color)};
}"""


def overflow(page):
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("url", ["/", ARTICLE, "/authors/mara-lindqvist/", "/search/?q=ice"])
def test_pages_fit_a_390px_phone_without_sideways_scrolling(new_page, reading_article, url):
    page = new_page(viewport=MOBILE)
    page.goto(url)
    assert overflow(page) <= 0


@pytest.mark.parametrize(
    ("viewport", "body_px", "max_measure_em"),
    [(MOBILE, (16, 19), 40), (DESKTOP, (18, 22), 40)],
    ids=["390px", "1440px"],
)
def test_type_scale_reads_well_on_phone_and_wide_screen(
    new_page, reading_article, viewport, body_px, max_measure_em
):
    page = new_page(viewport=viewport)
    page.goto(ARTICLE)
    sizes = page.evaluate(TYPE_SIZES)
    low, high = body_px
    assert low <= sizes["body"] <= high, sizes
    assert sizes["h1"] > sizes["h2"] > sizes["h3"] > sizes["body"], sizes
    assert sizes["lineHeight"] >= 1.45, sizes
    # Lines no longer than about 80 characters, however wide the window.
    assert sizes["measure"] <= max_measure_em, sizes


def test_contents_sit_beside_the_text_on_a_wide_screen(new_page, reading_article):
    page = new_page(viewport=DESKTOP)
    page.goto(ARTICLE)
    toc = page.get_by_role("navigation", name="Contents").bounding_box()
    body = page.locator(".article__body").bounding_box()
    assert toc["x"] + toc["width"] <= body["x"]
    page.mouse.wheel(0, 1200)
    # Wait for the scroll itself (the title leaves the screen), or the contents
    # would be found where they were before it.
    expect(page.get_by_role("heading", level=1)).not_to_be_in_viewport()
    expect(page.get_by_role("navigation", name="Contents")).to_be_in_viewport()


def test_contents_come_folded_before_the_text_on_a_phone_and_jump_to_a_section(
    new_page, reading_article
):
    page = new_page(viewport=MOBILE, has_touch=True, is_mobile=True)
    page.goto(ARTICLE)
    summary = page.locator("summary", has_text="Contents")
    expect(summary).to_be_in_viewport()
    first_section = page.locator(".article__body .section").first.bounding_box()
    assert summary.bounding_box()["y"] < first_section["y"]
    toc = page.get_by_role("navigation", name="Contents")
    expect(toc).to_be_hidden()  # folded: the first paragraph is not pushed down

    summary.tap()
    link = toc.get_by_role("link", name="Who decides")
    box = link.bounding_box()
    assert box["height"] >= 24, "contents links are big enough to tap"
    link.tap()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#who-decides")
    expect(page.get_by_role("heading", name="Who decides")).to_be_in_viewport()


def test_figures_scale_to_the_column_without_shifting_the_layout(new_page, reading_article):
    page = new_page(viewport=MOBILE)
    page.add_init_script(
        """window.layoutShift = 0;
        new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) window.layoutShift += entry.value;
        }).observe({type: "layout-shift", buffered: true});"""
    )
    page.goto(ARTICLE)
    image = page.get_by_role("img", name="Chart of summer sea ice shrinking since 1979")
    expect(image).to_have_attribute("width", "1200")
    expect(image).to_have_attribute("height", "675")
    reserved = image.bounding_box()
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )

    shown = image.bounding_box()
    column = page.locator(".article__body").bounding_box()
    assert shown["width"] <= column["width"]
    assert shown["height"] == pytest.approx(shown["width"] * 675 / 1200, abs=1)
    assert (reserved["width"], reserved["height"]) == (shown["width"], shown["height"])
    assert page.evaluate("window.layoutShift") == 0


@pytest.mark.parametrize(("color_scheme", "dark_background"), [("light", False), ("dark", True)])
def test_colours_follow_the_readers_light_or_dark_preference(
    new_page, reading_article, color_scheme, dark_background
):
    page = new_page(color_scheme=color_scheme)
    page.goto(ARTICLE)
    colours = page.evaluate(LUMINANCE, "body")
    if dark_background:
        assert colours["background"] < 0.05 < 0.6 < colours["text"], colours
    else:
        assert colours["text"] < 0.05 < 0.6 < colours["background"], colours


def test_printed_article_is_the_text_without_site_chrome(page, reading_article):
    page.goto(ARTICLE)
    page.emulate_media(media="print")
    for chrome in [".site-header", ".site-footer", ".skip-link", ".toc"]:
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Who decides")).to_be_visible()
    expect(
        page.get_by_role("img", name="Chart of summer sea ice shrinking since 1979")
    ).to_be_visible()
    for form in page.locator("main form").all():
        expect(form).to_be_hidden()
    spelled_out = page.get_by_role("link", name="Arctic Council").evaluate(
        "a => getComputedStyle(a, '::after').content"
    )
    assert "https://example.org/arctic-council" in spelled_out
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
