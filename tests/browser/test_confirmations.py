"""After reporting a comment far down the page, the reader sees the confirmation where they are."""

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
