"""Country and world pages in a real browser: maps that fit, links that work, axe-clean."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ActorFactory, ArticleFactory

from .axe import assert_no_blocking_violations
from .chromium import DESKTOP, MOBILE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = {"country": "/countries/ir/", "world": "/world/", "region": "/regions/middle-east/"}
VIEWPORTS = {"1440": DESKTOP, "390": MOBILE}


@pytest.fixture
def covered(db):
    opec = ActorFactory(name="OPEC", slug="opec")
    ArticleFactory(
        published=True,
        title="Oil, sanctions and the Caspian",
        countries=["ru", "ir"],
        actors=[opec],
    )
    ArticleFactory(published=True, title="Gulf shipping insurance", countries=["ir", "ae"])


def overflow(page):
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_place_pages_fit_read_well_and_pass_axe(
    new_page, covered, tmp_path, name, width, color_scheme
):
    page = new_page(viewport=VIEWPORTS[width], color_scheme=color_scheme)
    response = page.goto(PAGES[name])
    assert response.ok
    world_map = page.locator("svg.world-map")
    expect(world_map).to_be_visible()
    box = world_map.bounding_box()
    assert box["width"] <= page.viewport_size["width"]
    assert box["height"] > box["width"] / 3  # scaled, keeping its shape
    assert overflow(page) <= 0
    assert_no_blocking_violations(page)
    page.screenshot(path=tmp_path / f"{name}-{width}-{color_scheme}.png", full_page=True)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("width", VIEWPORTS)
def test_an_actor_page_fits_and_passes_axe(new_page, covered, tmp_path, width, color_scheme):
    page = new_page(viewport=VIEWPORTS[width], color_scheme=color_scheme)
    response = page.goto("/actors/opec/")
    assert response.ok
    expect(page.get_by_role("heading", level=1)).to_have_text("OPEC")
    expect(page.get_by_role("link", name="Oil, sanctions and the Caspian")).to_be_visible()
    assert overflow(page) <= 0
    assert_no_blocking_violations(page)
    page.screenshot(path=tmp_path / f"actor-{width}-{color_scheme}.png", full_page=True)


def test_a_country_on_the_coverage_map_leads_to_its_page(new_page, covered):
    page = new_page()
    page.goto("/world/")
    page.locator('svg.world-map a[href="/countries/ir/"]').click()
    expect(page).to_have_url(re.compile(r"/countries/ir/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Iran")
    expect(page.get_by_text("Oil, sanctions and the Caspian")).to_be_visible()


def test_the_map_uses_no_inline_style_the_csp_would_block(new_page, covered):
    page = new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto("/countries/ir/")
    highlighted = page.locator("svg.world-map path.map-highlight")
    fill = highlighted.evaluate("path => getComputedStyle(path).fill")
    land = page.locator("svg.world-map path.map-land:not(.map-highlight)").first
    assert fill != land.evaluate("path => getComputedStyle(path).fill")
    assert not [text for text in violations if "Content Security Policy" in text]
