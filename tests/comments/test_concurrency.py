"""Copies of a post that arrive at the same instant: the database keeps exactly one."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from comments.models import Comment

from ..factories import ArticleFactory
from .conftest import form_token

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def post_at_once(article, payloads):
    """Post every payload from its own thread (and client address), all released together."""
    url = reverse("comments:post", args=[article.slug])
    barrier = threading.Barrier(len(payloads))
    statuses = []

    def post(n, data):
        try:
            client = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
            barrier.wait(timeout=20)
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=item) for item in enumerate(payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(statuses)


def payload(**fields):
    return {
        "name": "Anouk de Vries",
        "email": "anouk@example.net",
        "body": "The thaw changes insurance costs more than routes.",
        "section": "",
        "reply_to": "",
        "website": "",
        "token": form_token(),
        **fields,
    }


def test_sixteen_identical_posts_at_once_store_one_comment():
    article = ArticleFactory(published=True)

    statuses = post_at_once(article, [payload() for _ in range(16)])

    assert Comment.objects.count() == 1
    assert statuses == [302] + [400] * 15


def test_one_form_token_sent_three_times_at_once_stores_one_comment():
    article = ArticleFactory(published=True)
    token = form_token()

    statuses = post_at_once(
        article, [payload(token=token, body=f"Point number {n}.") for n in range(3)]
    )

    assert Comment.objects.count() == 1
    assert statuses == [302, 400, 400]
