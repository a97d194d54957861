"""An editor shares a draft through a preview link, a reader opens it, the editor revokes it."""

import pytest
from playwright.sync_api import expect

from articles.previews import PreviewLink
from tests.factories import ArticleFactory, SectionFactory

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    # Keep the groups that the data migrations create (flushed otherwise).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_editor_shares_a_draft_and_revokes_the_link(new_page, editor):
    draft = ArticleFactory(title="Ports before power", slug="ports-before-power")
    SectionFactory(article=draft, heading="Harbours first", body="Draft text.")
    desk = new_page()
    log_in(desk, editor)

    desk.goto(f"/admin/articles/article/{draft.pk}/change/")
    desk.get_by_role("button", name="Add another Preview link").click()
    desk.get_by_role("button", name="Save and continue editing").click()

    expect(desk.locator(".messagelist")).to_contain_text("Preview link created")
    address = desk.locator("#preview_links-group input[name$='-address']").first
    url = address.input_value()
    assert url.startswith("http") and "/preview/" in url

    reader = new_page()  # a separate context: no login
    reader.goto(url)
    expect(reader.get_by_role("heading", level=1)).to_have_text("Ports before power")
    expect(reader.get_by_role("note")).to_contain_text("Draft preview — not published")
    expect(reader.locator("form")).to_have_count(1)  # the site search only

    desk.locator("#preview_links-group input[name$='-revoke']").first.check()
    desk.get_by_role("button", name="Save and continue editing").click()
    expect(desk.locator("#preview_links-group")).to_contain_text("Revoked")
    assert PreviewLink.objects.get().revoked_at is not None

    response = reader.goto(url)
    assert response.status == 404
