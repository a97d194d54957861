"""axe-core finds nothing serious or critical on the public pages, light or dark."""

import pytest
from playwright.sync_api import expect

from .axe import assert_no_blocking_violations
from .comments import READER, comment_form, send

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/articles/ice-shipping-sovereignty/"
PUBLIC_PAGES = {
    "home": "/",
    "article with comments": ARTICLE,
    "article replying to a comment": ARTICLE + "?reply_to={reply_to}#comment-form",
    "section responses": "/comments/articles/ice-shipping-sovereignty/sections/who-decides/",
    "tag": "/tags/arctic/",
    "author": "/authors/mara-lindqvist/",
    "search": "/search/?q=ice",
    "search with no results": "/search/?q=zanzibar",
    "not found": "/articles/no-such-article/",
}
COLOR_SCHEMES = ["light", "dark"]


@pytest.mark.parametrize("color_scheme", COLOR_SCHEMES)
@pytest.mark.parametrize("url", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_serious_accessibility_problems(
    new_page, discussed_article, url, color_scheme
):
    reply_to = discussed_article.comments.get(name="Tomas Berg").pk
    page = new_page(color_scheme=color_scheme)
    response = page.goto(url.format(reply_to=reply_to))
    assert response.ok or response.status == 404, f"{url} answered {response.status}"
    assert_no_blocking_violations(page)


@pytest.mark.parametrize("color_scheme", COLOR_SCHEMES)
def test_comment_form_with_errors_has_no_serious_accessibility_problems(
    new_page, discussed_article, color_scheme
):
    page = new_page(color_scheme=color_scheme)
    page.goto(ARTICLE)
    form = comment_form(page)
    form.get_by_label("Name", exact=True).fill(READER["Name"])
    form.get_by_label("Email", exact=True).fill("not an address@")
    form.get_by_label("Comment", exact=True).fill("  ")
    # Let the server judge the input, as it would for a browser without validation.
    form.evaluate("form => form.noValidate = true")
    send(page, form)
    expect(page.get_by_label("Comment", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Email", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_no_blocking_violations(page)
