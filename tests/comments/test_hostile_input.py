"""Whatever arrives in a comment request, the answer is never a server error.

Hostile input: NUL bytes (which PostgreSQL text columns refuse), lone
surrogates (which no valid UTF-8 carries, so they arrive as broken bytes),
direction overrides, and 100,000-character strings. Runs on SQLite and, with
DATABASE_URL, on PostgreSQL.
"""

from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments import notifications

from ..factories import CommentFactory
from .conftest import form_token

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00",
    "Anouk\x00",
    "\ud800",
    "a\udfffb",
    "\u202eevil\u202c",
    "\u200f\u2066x\u2069",
    "\r\nBcc: x@example.org",
    "x" * 100_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "１２３",
    "-1",
    "99999999999999999999999",
]
hostile_text = st.one_of(
    st.text(max_size=200),
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=3).map("".join),
)
FIELDS = ["name", "email", "body", "section", "reply_to", "website", "token", "notify"]
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def form_body(fields):
    """URL-encode like a browser would, letting lone surrogates through as broken bytes."""
    return "&".join(
        f"{quote(key)}={quote(value.encode('utf-8', 'surrogatepass'))}"
        for key, value in fields.items()
    ).encode()


def post(client, url, fields):
    return client.post(url, form_body(fields), content_type="application/x-www-form-urlencoded")


@FUZZ
@given(
    overrides=st.dictionaries(st.sampled_from(FIELDS), hostile_text, min_size=1),
    valid_token=st.booleans(),
)
def test_any_comment_form_input_gets_an_answer_not_a_server_error(
    client, open_article, overrides, valid_token
):
    fields = {
        "name": "Anouk",
        "email": "anouk@example.net",
        "body": "A reasonable point.",
        "section": "",
        "reply_to": "",
        "website": "",
        "token": form_token() if valid_token else "",
        **overrides,
    }

    response = post(client, reverse("comments:post", args=[open_article.slug]), fields)

    assert response.status_code in {302, 400, 429}, response.status_code


@FUZZ
@given(reason=hostile_text, token=hostile_text)
def test_any_report_or_unsubscribe_input_gets_an_answer_not_a_server_error(
    client, open_article, reason, token
):
    comment = CommentFactory(article=open_article, approved=True)

    report = post(client, reverse("comments:report", args=[comment.pk]), {"reason": reason})
    safe_token = quote(token.encode("utf-8", "surrogatepass"), safe="")
    asked = client.get(f"/comments/unsubscribe/{safe_token}/")
    stopped = client.post(f"/comments/unsubscribe/{safe_token}/")

    assert report.status_code == 302
    assert asked.status_code in {200, 400, 404}
    assert stopped.status_code in {200, 400, 404}


def test_a_real_unsubscribe_token_still_works_among_the_noise(client):
    comment = CommentFactory(approved=True, notify=True)

    response = client.post(
        reverse("comments:unsubscribe", args=[notifications.unsubscribe_token(comment)])
    )

    comment.refresh_from_db()
    assert response.status_code == 200 and not comment.notify
