"""axe-core finds nothing serious or critical on the public pages, light or dark."""

import pytest

from .axe import assert_no_blocking_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PUBLIC_PAGES = {
    "home": "/",
    "article": "/articles/ice-shipping-sovereignty/",
    "tag": "/tags/arctic/",
    "author": "/authors/mara-lindqvist/",
    "search": "/search/?q=ice",
    "search with no results": "/search/?q=zanzibar",
}


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("url", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_serious_accessibility_problems(
    new_page, reading_article, url, color_scheme
):
    page = new_page(color_scheme=color_scheme)
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    assert_no_blocking_violations(page)
