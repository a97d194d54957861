"""After reporting a comment far down the page, the reader sees the confirmation where they are."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/articles/ice-shipping-sovereignty/"
REPORTED = "Thank you — a moderator will look at this comment again."


def test_a_report_confirmation_is_in_view_beside_the_comment(page, reading_article):
    from tests.factories import CommentFactory

    from .conftest import orm_beside_playwright

    with orm_beside_playwright():
        comments = CommentFactory.create_batch(
            12, article=reading_article, approved=True, body="A long considered answer. " * 20
        )
    last = comments[-1]
    page.goto(ARTICLE)
    page.locator(f"#comment-{last.pk}").get_by_role("button", name="Report").click()

    expect(page.get_by_text(REPORTED)).to_be_in_viewport()
    expect(page.locator(f"#comment-{last.pk}")).to_be_in_viewport()


def test_a_refused_post_keeps_the_reader_on_the_article_address_with_its_errors_in_view(
    page, reading_article
):
    from .comments import READER, comment_form, send

    page.goto(ARTICLE)
    form = comment_form(page)
    for label, value in READER.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_label("Comment", exact=True).fill("\u200b \u200b")  # looks empty
    send(page, form)

    expect(page.get_by_text("This field is required.", exact=True)).to_be_in_viewport()
    # The reader is still on the article's own address, with what they typed.
    assert page.url.endswith(f"{ARTICLE}#comment-form")
    expect(comment_form(page).get_by_label("Name", exact=True)).to_have_value(READER["Name"])

    # Opening that address again (a bookmark, a copied link) shows the article.
    address = page.url
    page.goto("about:blank")
    response = page.goto(address)
    assert response.ok
    expect(page.get_by_role("heading", level=1)).to_have_text(reading_article.title)
    expect(comment_form(page)).to_be_in_viewport()


def test_edit_and_withdraw_confirmations_are_in_view(page, reading_article):
    from .comments import AWAITING, post_comment

    page.goto(ARTICLE)
    post_comment(page, "The straits matter less than the insurers, I think.")
    expect(page.get_by_text(AWAITING)).to_be_in_viewport()
    page.get_by_role("link", name="edit or withdraw your comment").click()

    page.get_by_label("Comment", exact=True).fill("The insurers matter more than the straits.")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Save", re.IGNORECASE)).click()
    expect(page.get_by_text("Your comment is changed")).to_be_in_viewport()

    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Withdraw", re.IGNORECASE)).click()
    expect(page.get_by_text("Your comment is withdrawn")).to_be_in_viewport()


PUBLISHED = "Thank you — your comment is published."


def test_a_published_confirmation_is_in_view_beside_the_new_comment(
    page, reading_article, live_server
):
    from django.http import HttpResponse

    from comments import commenters
    from comments.models import Commenter
    from tests.factories import CommentFactory

    from .comments import READER, post_comment
    from .conftest import orm_beside_playwright

    with orm_beside_playwright():
        CommentFactory.create_batch(
            12, article=reading_article, approved=True, body="A long considered answer. " * 20
        )
        commenters.set_standing(READER["Email"], Commenter.Standing.TRUSTED)
    proof = HttpResponse()
    commenters.remember_in(proof, READER["Email"])  # as after the mailed link
    page.context.add_cookies(
        [
            {
                "name": commenters.COOKIE,
                "value": proof.cookies[commenters.COOKIE].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(ARTICLE)

    post_comment(page, "Trusted and proven, so this one is published at once.")

    assert re.search(r"#comment-\d+$", page.url)
    anchor = page.url.rsplit("#", 1)[1]
    expect(page.get_by_text(PUBLISHED)).to_be_in_viewport()
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
