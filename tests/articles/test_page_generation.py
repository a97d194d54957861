"""A process hears of every new page generation at once, without asking Redis on each request."""

import pytest
import redis

from articles import page_cache, page_generation
from comments import moderation

from ..conftest import IN_CI
from ..factories import ArticleFactory, CommentFactory, SectionFactory

REDIS_URL = "redis://127.0.0.1:6379/6"  # this file's own Redis database; flushed around each test
KEY, CHANNEL = "test:generation", "test:generation:changed"


@pytest.fixture
def raw():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        if IN_CI:
            pytest.fail(f"needs Redis at {REDIS_URL}: {error}")
        pytest.skip(f"needs Redis at {REDIS_URL}: {error}")
    client.flushdb()
    client.set(KEY, 1)
    yield client
    client.flushdb()


class Counting:
    """``read()`` for a watcher: the generation from Redis, counting the round trips."""

    def __init__(self, client):
        self.client, self.calls = client, 0

    def __call__(self):
        self.calls += 1
        return int(self.client.get(KEY))


def another_process_changes(raw):
    raw.incr(KEY)
    page_generation.publish(raw, CHANNEL)


def test_a_change_in_another_process_shows_on_the_very_next_use(raw):
    watcher = page_generation.Watcher(redis.Redis.from_url(REDIS_URL), CHANNEL)
    read = Counting(raw)
    assert watcher.current(read) == 1

    for expected in range(2, 2000):
        another_process_changes(raw)
        assert watcher.current(read) == expected


def test_without_a_change_the_generation_costs_no_round_trip(raw):
    watcher = page_generation.Watcher(redis.Redis.from_url(REDIS_URL), CHANNEL)
    read = Counting(raw)
    for _ in range(50):
        assert watcher.current(read) == 1

    assert read.calls == 1


def test_without_a_change_a_use_reads_nothing_from_the_subscription(raw, monkeypatch):
    """Only the kernel is asked (a poll of the socket): redis-py's reading and parsing
    cost more than the rest of a cached page (issue 8)."""
    watcher = page_generation.Watcher(redis.Redis.from_url(REDIS_URL), CHANNEL)
    read = Counting(raw)
    watcher.current(read)
    reads = []
    get_message = watcher._pubsub.get_message
    monkeypatch.setattr(
        watcher._pubsub, "get_message", lambda **kw: reads.append(1) or get_message(**kw)
    )
    for _ in range(50):
        assert watcher.current(read) == 1
    assert reads == []

    another_process_changes(raw)

    assert watcher.current(read) == 2
    assert reads, "what arrived was read"


def test_a_lost_subscription_falls_back_to_reading_and_subscribes_again(raw, monkeypatch):
    watcher = page_generation.Watcher(redis.Redis.from_url(REDIS_URL), CHANNEL)
    read = Counting(raw)
    watcher.current(read)

    raw.client_kill_filter(_type="pubsub")
    raw.incr(KEY)  # announced to nobody: the subscription is gone
    assert watcher.current(read) == 2
    raw.incr(KEY)  # until it subscribes again, every use reads the cache
    assert watcher.current(read) == 3
    raw.incr(KEY)
    assert watcher.current(read) == 4

    monkeypatch.setattr(page_generation, "RETRY_SECONDS", 0)
    watcher._retry_at = 0
    assert watcher.current(read) == 4
    another_process_changes(raw)
    assert watcher.current(read) == 5
    another_process_changes(raw)
    assert watcher.current(read) == 6


@pytest.fixture
def redis_cache(raw, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "geopolitics.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "generation-test",
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    page_generation._watcher = None
    yield
    page_generation._watcher = None


@pytest.mark.django_db
def test_with_redis_a_moderation_decision_shows_on_the_next_cached_request(client, redis_cache):
    article = ArticleFactory(published=True, slug="cables")
    SectionFactory(article=article, heading="Landing points")
    comment = CommentFactory(article=article, body="Zqheard remark.")
    client.get("/articles/cables/")
    assert client.get("/articles/cables/")["X-Page-Cache"] == "hit"

    moderation.approve(comment)

    assert "Zqheard" in client.get("/articles/cables/").content.decode()
    assert "Zqheard" in client.get("/articles/cables/?r=1").content.decode()
    assert page_generation._watcher is not None  # the subscription answered


@pytest.mark.django_db
def test_with_redis_a_change_made_elsewhere_shows_on_the_next_request(client, redis_cache):
    article = ArticleFactory(published=True, slug="cables", title="Zqbefore")
    client.get("/articles/cables/")
    client.get("/articles/cables/")

    # Another process edits and announces, as page_cache.content_changed() does there.
    type(article).objects.filter(pk=article.pk).update(title="Zqafter")
    from django.core.cache import cache

    cache.incr(page_cache.GENERATION_KEY)
    page_generation.announce()

    assert "Zqafter" in client.get("/articles/cables/").content.decode()
