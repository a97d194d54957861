"""The front page, the about page and the article's reading details in a browser (issue 11).

axe-core at 1440 and 390 px, light and dark; nothing wider than a phone; the
contents folded on a phone and open beside the text on a wide screen, with or
without JavaScript; figures dimmed, not inverted, in the dark. Screenshots go
to pytest's temporary directory.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .axe import assert_no_blocking_violations
from .chromium import DESKTOP, MOBILE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/articles/ice-shipping-sovereignty/"
PAGES = {"home": "/", "about": "/about/", "article": ARTICLE}
VIEWPORTS = {"1440px": DESKTOP, "390px": MOBILE}


@pytest.fixture
def front_page(reading_article):
    """The reading article leads (an editor chose it), with a figure; eight more articles,
    two of them discussed this week."""
    from tests.factories import ArticleFactory, CommentFactory

    reading_article.lead_story = True
    reading_article.save()
    for n in range(8):
        article = ArticleFactory(
            published=True,
            title=f"Straits, ports and power, part {n + 1}",
            standfirst=" ".join(["Who controls the narrow seas controls the trade."] * 8),
            published_at=timezone.now() - datetime.timedelta(hours=n + 2),
            tags=["Shipping", f"Region {n}"],
        )
        if n < 2:
            CommentFactory.create_batch(2 - n, article=article, approved=True)
    return reading_article


def overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_front_about_and_article_pages_pass_axe_and_fit_the_screen(
    new_page, front_page, url, viewport, color_scheme, tmp_path
):
    page = new_page(viewport=viewport)
    page.emulate_media(color_scheme=color_scheme)
    assert page.goto(url).ok

    assert overflow(page) <= 0, f"{url} scrolls sideways at {viewport['width']} px"
    assert_no_blocking_violations(page)
    page.screenshot(path=tmp_path / f"{url.strip('/') or 'home'}.png", full_page=True)


def test_the_lead_has_its_figure_and_the_grid_uses_the_width(new_page, front_page, tmp_path):
    page = new_page(viewport=DESKTOP)
    page.goto("/")

    lead = page.locator(".lead")
    expect(lead.get_by_role("heading", name=front_page.title)).to_be_visible()
    image = lead.locator("img")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    cards = page.locator(".card-grid .card")
    expect(cards).to_have_count(9)  # eight here, one of the reading article's
    tops = {round(card.bounding_box()["y"]) for card in cards.all()[:2]}
    assert len(tops) == 1, "two cards side by side at 1440 px"
    expect(page.get_by_role("heading", name="Most discussed this week")).to_be_visible()
    grid = page.locator(".home__columns").bounding_box()
    assert grid["width"] > 1000, "the page uses the width of a wide screen"
    page.screenshot(path=tmp_path / "front-1440.png", full_page=True)


def test_on_a_phone_the_front_page_is_one_column(new_page, front_page, tmp_path):
    page = new_page(viewport=MOBILE)
    page.goto("/")

    boxes = [card.bounding_box() for card in page.locator(".card-grid .card").all()[:2]]
    assert boxes[0]["y"] < boxes[1]["y"] and boxes[0]["x"] == boxes[1]["x"]
    assert overflow(page) <= 0
    page.screenshot(path=tmp_path / "front-390.png", full_page=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "no-js"])
def test_contents_are_folded_on_a_phone_and_open_on_a_wide_screen(
    new_page, reading_article, javascript, tmp_path
):
    phone = new_page(viewport=MOBILE, java_script_enabled=javascript)
    phone.goto(ARTICLE)
    expect(phone.locator("summary", has_text="Contents")).to_be_visible()
    expect(phone.get_by_role("navigation", name="Contents")).to_be_hidden()
    phone.screenshot(path=tmp_path / "contents-390.png")
    phone.locator("summary", has_text="Contents").click()
    expect(phone.get_by_role("navigation", name="Contents")).to_be_visible()

    wide = new_page(viewport=DESKTOP, java_script_enabled=javascript)
    wide.goto(ARTICLE)
    expect(wide.get_by_role("navigation", name="Contents")).to_be_visible()
    expect(wide.get_by_role("link", name="Who decides").first).to_be_visible()


def test_dark_mode_dims_figures_without_inverting_them(new_page, reading_article):
    page = new_page(color_scheme="dark")
    page.goto(ARTICLE)
    image = page.get_by_role("img", name="Chart of summer sea ice shrinking since 1979")

    dimmed = image.evaluate("img => getComputedStyle(img).filter")
    assert "brightness(0.82)" in dimmed
    assert "invert" not in dimmed
    image.hover()
    expect(image).to_have_css("filter", "none")


def test_a_figure_opens_full_size(new_page, reading_article):
    page = new_page(viewport=MOBILE)
    page.goto(ARTICLE)

    page.get_by_role("link", name="Open full size (1200 × 675 px)").click()

    assert "/media/figures/" in page.url
    assert page.evaluate("document.images[0].naturalWidth") == 1200


@pytest.fixture
def quiet_front_page(reading_article):
    """The reading article leads; eight more articles, none discussed this week."""
    from tests.factories import ArticleFactory

    reading_article.lead_story = True
    reading_article.save()
    for n in range(8):
        ArticleFactory(
            published=True,
            title=f"Quiet straits, part {n + 1}",
            published_at=timezone.now() - datetime.timedelta(hours=n + 2),
        )
    return reading_article


def test_with_nothing_discussed_the_grid_takes_the_whole_width(
    new_page, quiet_front_page, tmp_path
):
    page = new_page(viewport=DESKTOP)
    page.goto("/")

    expect(page.get_by_role("heading", name="Most discussed this week")).to_have_count(0)
    columns = page.locator(".home__columns").bounding_box()
    latest = page.locator(".home__latest").bounding_box()
    assert latest["width"] >= columns["width"] - 1, "no empty right-hand column"
    tops = {round(card.bounding_box()["y"]) for card in page.locator(".card-grid .card").all()}
    assert len(tops) <= 3, "four cards a row at 1440 px fill the width"

    last_card = page.locator(".card-grid .card").last.bounding_box()
    heading = page.get_by_role("heading", name="Where our analysis is").bounding_box()
    gap = heading["y"] - (last_card["y"] + last_card["height"])
    assert gap >= 32, f"the cards' last rule sits {gap:.0f} px above the coverage heading"
    page.screenshot(path=tmp_path / "front-quiet-1440.png", full_page=True)
