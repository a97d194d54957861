"""A phone downloads a figure in a size that fits it, never the desktop original (issue 8)."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from playwright.sync_api import expect

from .chromium import DESKTOP, MOBILE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ALT = "Map of the shipping lanes across the Barents Sea"
RENDITION = re.compile(r"-(\d+)w\.jpg$")


@pytest.fixture
def wide_figure_article(transactional_db):
    from tests.factories import ArticleFactory, FigureFactory, SectionFactory

    article = ArticleFactory(published=True, slug="barents-lanes", title="Barents lanes")
    SectionFactory(article=article, heading="Lanes", body="The lanes move north.", position=1)
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1125), (30, 80, 140)).save(buffer, "JPEG")
    return FigureFactory(
        article=article,
        image=ContentFile(buffer.getvalue(), name="lanes.jpg"),
        alt_text=ALT,
    )


def shown_image(page):
    """Open the article, bring the (lazy) figure into view.

    Returns the URL the browser chose, the pixel width of that file (naturalWidth
    is scaled by the srcset density, so the file itself is read) and every figure
    file the page requested.
    """
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/articles/barents-lanes/")
    image = page.get_by_role("img", name=ALT)
    expect(image).to_have_attribute("width", "2000")
    expect(image).to_have_attribute("height", "1125")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    current = image.evaluate("img => img.currentSrc")
    figure_requests = [url for url in requested if "/media/figures/" in url]
    with Image.open(io.BytesIO(page.request.get(current).body())) as chosen:
        file_width = chosen.width
    return current, file_width, figure_requests


def test_a_390px_phone_downloads_the_480px_rendition_not_the_2000px_original(
    new_page, wide_figure_article
):
    current, file_width, figure_requests = shown_image(new_page(viewport=MOBILE))

    match = RENDITION.search(current)
    assert match, f"{current} is not a rendition"
    # The column is 350 CSS px: the smallest rendition that covers it.
    assert file_width == int(match[1]) == 480
    assert figure_requests == [current], "only the chosen rendition is downloaded"


def test_a_retina_phone_gets_a_sharper_rendition_but_not_the_original(
    new_page, wide_figure_article
):
    page = new_page(viewport=MOBILE, device_scale_factor=3)

    current, file_width, figure_requests = shown_image(page)

    assert RENDITION.search(current), f"{current} is not a rendition"
    assert file_width == 1200  # 350 CSS px at 3 device pixels each
    assert wide_figure_article.image.url not in " ".join(figure_requests)


def test_a_wide_screen_gets_a_rendition_that_fills_the_column(new_page, wide_figure_article):
    current, file_width, _ = shown_image(new_page(viewport=DESKTOP))

    column = 42 * 16  # --measure, in CSS pixels
    assert RENDITION.search(current), f"{current} is not a rendition"
    assert column <= file_width < 2000
