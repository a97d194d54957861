"""Journey 3: a moderator approves a reader's comments in one bulk action."""

import re

import pytest
from playwright.sync_api import expect

from .comments import AWAITING, READER, comment_form, post_comment
from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/articles/ice-shipping-sovereignty/"
SECTION_RESPONSE = "Insurers decide too: no cover, no sailing, whatever the coastguard does."
ARTICLE_COMMENT = "Clear and fair. A map of the disputed straits would help."
REPLY = "Agreed on the map: the straits are hard to picture."


def approve_all_pending(desk, count):
    desk.goto("/admin/")
    queue = desk.get_by_role("link", name=f"Comments ({count} waiting)").first
    expect(queue).to_be_visible()
    with desk.expect_navigation():
        queue.click()
    expect(desk.locator("#result_list tbody tr")).to_have_count(count)
    select_every_row(desk, count)
    desk.locator("select[name='action']").select_option(label="Approve selected comments")
    with desk.expect_navigation():
        desk.get_by_role("button", name="Go").click()
    expect(desk.locator(".messagelist")).to_contain_text(f"{count} comment")
    expect(desk.locator(".messagelist")).to_contain_text("approved")


def select_every_row(desk, count):
    """Tick the select-all box once the admin's actions.js has taken it over.

    Ticked before actions.js starts (it starts on DOMContentLoaded, after the
    deferred scripts), the box selects no rows and its "pageshow" handler
    unticks it again, so "Go" would act on nothing. ``expect_navigation`` has
    waited for "load" (which follows DOMContentLoaded and precedes
    "pageshow"); the counter that actions.js rewrites proves the rows are chosen.
    """
    counter = desk.locator(".action-counter")
    expect(counter).to_have_text(f"0 of {count} selected")
    desk.locator("#action-toggle").check()
    expect(counter).to_have_text(f"{count} of {count} selected")
    for row in desk.locator("#result_list tbody input.action-select").all():
        expect(row).to_be_checked()


def test_moderator_approves_both_comments_and_the_reader_sees_them_threaded(
    new_page, reading_article, moderator
):
    reader = new_page()
    reader.goto(ARTICLE)
    reader.locator("#who-decides").get_by_role("link", name="Respond to this section").click()
    expect(comment_form(reader).get_by_label("Responding to")).to_have_value("who-decides")
    post_comment(reader, SECTION_RESPONSE)
    expect(reader.get_by_text(AWAITING)).to_be_visible()
    post_comment(reader, ARTICLE_COMMENT)
    expect(reader.get_by_text(AWAITING)).to_be_visible()

    desk = new_page()
    log_in(desk, moderator)
    approve_all_pending(desk, 2)

    reader.reload()
    comments = reader.locator("#comments li[id^='comment-']")
    expect(comments).to_have_count(2)
    section_response = comments.filter(has_text=SECTION_RESPONSE)
    expect(section_response).to_contain_text(READER["Name"])
    expect(section_response.get_by_role("link", name="Who decides")).to_have_attribute(
        "href", "#who-decides"
    )
    article_comment = comments.filter(has_text=ARTICLE_COMMENT)
    expect(article_comment.get_by_role("link", name="Who decides")).to_have_count(0)

    # The thread grows: a reply sits under the comment it answers.
    article_comment.get_by_role("link", name="Reply").click()
    expect(reader.get_by_role("heading", name=f"Reply to {READER['Name']}")).to_be_visible()
    expect(comment_form(reader)).to_be_in_viewport()
    post_comment(reader, REPLY, reader={"Name": "Tomas Berg", "Email": "tomas@example.org"})
    expect(reader.get_by_text(AWAITING)).to_be_visible()
    approve_all_pending(desk, 1)
    reader.reload()
    reply = article_comment.locator("ol li[id^='comment-']")
    expect(reply).to_contain_text(REPLY)
    expect(reply).to_contain_text("Tomas Berg")


def test_moderator_cannot_open_the_article_change_form(page, reading_article, moderator):
    log_in(page, moderator)
    response = page.goto(f"/admin/articles/article/{reading_article.pk}/change/")
    assert response.status == 403
    page.goto("/admin/")
    expect(page.get_by_role("link", name=re.compile(r"^Comments"))).not_to_have_count(0)
    expect(page.get_by_role("link", name="Articles")).to_have_count(0)
