"""Journey 2: a reader finds a section, answers it and the article, and waits."""

import re

import pytest
from playwright.sync_api import expect

from .comments import AWAITING, READER, comment_form, post_comment, send, submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/articles/ice-shipping-sovereignty/"
SECTION_RESPONSE = "Insurers decide too: no cover, no sailing, whatever the coastguard does."
ARTICLE_COMMENT = "Clear and fair. A map of the disputed straits would help."


def test_reader_answers_a_section_and_the_article_and_waits_for_moderation(page, reading_article):
    page.goto(ARTICLE)
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="Who decides").click()
    expect(page).to_have_url(re.compile(r"#who-decides$"))
    expect(page.get_by_role("heading", name="Who decides")).to_be_in_viewport()

    page.locator("#who-decides").get_by_role("link", name="Respond to this section").click()
    form = comment_form(page)
    # Only the page the link opens has the section chosen: wait for it before
    # looking at where the form sits.
    expect(form.get_by_label("Responding to")).to_have_value("who-decides")
    expect(form).to_be_in_viewport()
    post_comment(page, SECTION_RESPONSE)
    expect(page.get_by_text(AWAITING)).to_be_in_viewport()

    page.goto(ARTICLE)
    expect(comment_form(page).get_by_label("Responding to")).to_have_value("")
    post_comment(page, ARTICLE_COMMENT)
    expect(page.get_by_text(AWAITING)).to_be_in_viewport()

    page.reload()
    expect(page.get_by_text(AWAITING)).to_have_count(0)
    expect(page.get_by_text(SECTION_RESPONSE)).to_have_count(0)
    expect(page.get_by_text(ARTICLE_COMMENT)).to_have_count(0)
    expect(page.get_by_text(READER["Name"])).to_have_count(0)


def test_comment_errors_show_beside_the_fields_and_keep_what_was_typed(page, reading_article):
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    page.goto(ARTICLE)
    form = comment_form(page)
    name = form.get_by_label("Name", exact=True)
    comment = form.get_by_label("Comment", exact=True)
    name.fill(READER["Name"])
    submit(form)
    # The browser stops an empty required field before anything is sent.
    assert comment.evaluate("field => field.validity.valueMissing")
    expect(name).to_have_value(READER["Name"])

    # Blank-looking input reaches the server, which answers beside each field.
    form.get_by_label("Email", exact=True).fill(READER["Email"])
    comment.fill("   ")
    send(page, form)
    assert len(posts) == 1, "the first, empty submission never left the browser"
    form = comment_form(page)
    comment = form.get_by_label("Comment", exact=True)
    expect(comment).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_text("This field is required.", exact=True)).to_be_visible()
    expect(form.get_by_label("Name", exact=True)).to_have_value(READER["Name"])
    expect(form.get_by_label("Email", exact=True)).to_have_value(READER["Email"])
    expect(form.get_by_label("Name", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text(AWAITING)).to_have_count(0)
