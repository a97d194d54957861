"""A surge arriving all at once on PostgreSQL starts one strict-mode period with one alert."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from comments.models import StrictMode

from ..factories import ArticleFactory
from .conftest import form_token, staff_in

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_comments_arriving_at_once_past_the_threshold_start_one_period_and_one_alert(settings):
    settings.COMMENTS_SURGE_COMMENTS = 4
    settings.COMMENTS_MODERATOR_DIGEST_MINUTES = 0
    moderator = staff_in("Moderators", "moira")
    article = ArticleFactory(published=True, slug="surge")
    url = reverse("comments:post", args=[article.slug])
    barrier = threading.Barrier(12)

    def post(n):
        try:
            client = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
            data = {
                "name": f"Reader {n}",
                "email": f"reader{n}@example.net",
                "body": f"Campaign line number {n}, word for word.",
                "token": form_token(),
            }
            barrier.wait(timeout=20)
            client.post(url, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert StrictMode.objects.filter(article=article).count() == 1
    alerts = [m for m in mail.outbox if m.subject.startswith("Strict mode on")]
    assert [m.to for m in alerts] == [[moderator.email]]
