"""Surge defence: a flood on one article switches it to strict mode, once, visibly, reversibly."""

import datetime
import html
import secrets

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import commenters, surge
from comments.models import Comment, StrictMode

from ..conftest import IN_CI
from ..factories import CommentFactory

pytestmark = pytest.mark.django_db

DESK = reverse("admin:comments_comment_desk")
SURGE = 8


@pytest.fixture(autouse=True)
def thresholds(settings):
    settings.COMMENTS_SURGE_WINDOW = 600
    settings.COMMENTS_SURGE_COMMENTS = SURGE
    settings.COMMENTS_SURGE_REPORTS = SURGE
    settings.COMMENTS_SURGE_FACTOR = 5
    settings.COMMENTS_STRICT_RATE_LIMIT = 1


def post(article, comment_data, n, committed, **fields):
    """Comment number ``n`` from its own reader and address, committed."""
    reader = Client(REMOTE_ADDR=f"203.0.113.{n % 250 + 1}")
    fields = {"email": f"crowd{n}@example.net", "body": f"Talking point number {n}.", **fields}
    data = comment_data(**fields)
    with committed():
        return reader.post(reverse("comments:post", args=[article.slug]), data)


def surge_mails(mailoutbox):
    return [m for m in mailoutbox if m.subject.startswith("Strict mode on")]


def strict_on_desk(client):
    return "Turn strict mode off" in client.get(DESK).content.decode()


@pytest.fixture(params=["checked exactly", "counted in the cache"])
def counting(request, monkeypatch):
    """Both ways a post finds a surge: every post checked in the database (a per-process
    cache), or the shared cache counting first (Redis; this test process is the only one)."""
    cache.clear()
    if request.param == "counted in the cache":
        monkeypatch.setattr(surge, "counts_for_every_process", lambda: True)
    return request.param


def test_a_surge_switches_strict_mode_on_with_one_alert(
    open_article, comment_data, committed, moderator, mailoutbox, counting
):
    for n in range(SURGE - 1):
        post(open_article, comment_data, n, committed)
    assert not surge.is_strict(open_article.pk)

    for n in range(SURGE - 1, SURGE + 12):
        post(open_article, comment_data, n, committed)

    mode = StrictMode.objects.get()
    assert surge.is_strict(open_article.pk) and mode.started_by is None
    assert f"{SURGE} comments in 10 minutes" in mode.reason
    alerts = surge_mails(mailoutbox)
    assert [m.to for m in alerts] == [[moderator.email]], "one alert per surge"
    assert "/admin/comments/comment/desk/" in alerts[0].body


def test_in_strict_mode_comments_wait_links_are_held_and_the_reader_is_not_told_why(
    open_article, comment_data, committed
):
    surge.start(open_article.pk, reason="test")

    plain = post(open_article, comment_data, 1, committed)
    linked = post(
        open_article,
        comment_data,
        2,
        committed,
        body="The ministry published its figures today; see https://example.org/x for them.",
    )

    plain_comment, linked_comment = Comment.objects.order_by("pk")
    assert plain_comment.status == linked_comment.status == Comment.Status.PENDING
    assert plain_comment.held_reasons == ["strict-mode"]
    assert linked_comment.held_reasons == ["strict-mode", "link-in-strict-mode"]
    for response in (plain, linked):
        said = [str(m) for m in get_messages(response.wsgi_request)]
        # The thanks, then the edit link (comments/editing.py): no word of any rule.
        assert said[0] == "Thank you — your comment is awaiting moderation."
        assert not [m for m in said if "strict" in m.lower() or "link" in m.lower().split()]


def test_in_strict_mode_each_reader_is_slowed(open_article, comment_data, committed, settings):
    settings.COMMENTS_RATE_LIMIT = 5
    surge.start(open_article.pk, reason="test")
    reader = Client(REMOTE_ADDR="198.51.100.20")
    url = reverse("comments:post", args=[open_article.slug])

    first = reader.post(url, comment_data(body="One thought."))
    second = reader.post(url, comment_data(body="And another."))

    assert (first.status_code, second.status_code) == (302, 429)
    assert Comment.objects.count() == 1
    # One comment a minute: "several" would be untrue; and when to try again.
    refused = html.unescape(second.content.decode())
    assert "Comments on this article are slowed for now" in refused
    assert "several comments" not in refused
    assert second["Retry-After"] == "60"


def test_a_reports_surge_switches_strict_mode_on(
    open_article, committed, moderator, mailoutbox, counting
):
    comment = CommentFactory(article=open_article, approved=True)
    for n in range(SURGE):
        with committed():
            Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(
                reverse("comments:report", args=[comment.pk])
            )

    assert surge.is_strict(open_article.pk)
    assert len(surge_mails(mailoutbox)) == 1
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED, "strict mode hides nothing already public"


def test_an_article_that_is_always_busy_is_not_a_surge(open_article, comment_data, committed):
    """Its usual rate, not a fixed count, is what a surge is measured against."""
    now = timezone.now()
    open_article.published_at = now - datetime.timedelta(days=2)
    open_article.save(update_fields=["published_at"])
    # About 10 comments every 10 minutes over the last two days.
    for minute in range(10, 2 * 24 * 60, 10):
        CommentFactory.create_batch(
            10, article=open_article, created_at=now - datetime.timedelta(minutes=minute)
        )

    for n in range(SURGE + 2):
        post(open_article, comment_data, n, committed)

    assert not StrictMode.objects.exists()


def test_the_desk_shows_strict_mode_and_turns_it_off_for_good_this_surge(
    client, open_article, comment_data, committed, moderator
):
    for n in range(SURGE):
        post(open_article, comment_data, n, committed)
    client.force_login(moderator)
    page = client.get(DESK).content.decode()
    assert "Strict mode" in page and open_article.title in page

    off = reverse("admin:comments_comment_strict", args=[open_article.pk, "off"])
    response = client.post(off, {"back": "tab=held"})

    assert response.status_code == 302 and response["Location"].endswith("?tab=held")
    assert not surge.is_strict(open_article.pk)
    mode = StrictMode.objects.get()
    assert mode.ended_by == moderator and mode.until is not None, "the period stays on record"
    assert not strict_on_desk(client)
    assert LogEntry.objects.filter(change_message__contains="Strict mode off").count() == 1
    # The tail of the same surge does not switch it back on behind the moderator's back.
    post(open_article, comment_data, 100, committed)
    assert not surge.is_strict(open_article.pk)
    assert Comment.objects.latest("pk").held_reasons == []


def test_a_moderator_turns_strict_mode_on_by_hand_without_an_alert(
    client, open_article, moderator, mailoutbox, committed
):
    CommentFactory(article=open_article)
    client.force_login(moderator)
    page = client.get(DESK, {"article": open_article.pk}).content.decode()
    assert "Turn strict mode on for" in page

    with committed():
        client.post(reverse("admin:comments_comment_strict", args=[open_article.pk, "on"]))

    assert surge.is_strict(open_article.pk)
    assert StrictMode.objects.get().started_by == moderator
    assert strict_on_desk(client)
    assert surge_mails(mailoutbox) == []


def test_only_moderators_switch_strict_mode(client, open_article):
    url = reverse("admin:comments_comment_strict", args=[open_article.pk, "on"])
    reader = client.post(url)
    clerk = User.objects.create_user("clerk", "c@example.org", "pw", is_staff=True)
    client.force_login(clerk)

    assert reader.status_code == 302 and "/admin/login/" in reader.url
    assert client.post(url).status_code == 403
    assert not StrictMode.objects.exists()


def test_strict_mode_switch_refuses_nonsense(client, open_article, moderator):
    client.force_login(moderator)
    assert (
        client.get(
            reverse("admin:comments_comment_strict", args=[open_article.pk, "on"])
        ).status_code
        == 405
    )
    bad = reverse("admin:comments_comment_strict", args=[open_article.pk, "maybe"])
    assert client.post(bad).status_code == 404
    missing = reverse("admin:comments_comment_strict", args=[999999, "on"])
    assert client.post(missing).status_code == 404


def test_a_quiet_article_is_checked_in_two_counts_and_nothing_more(
    open_article, django_assert_max_num_queries
):
    """After every post: the recent comments and reports are counted; below the minimum,
    nothing else is read (the post path stays cheap, issue 8)."""
    CommentFactory.create_batch(3, article=open_article)

    with django_assert_max_num_queries(2):
        assert surge.check(open_article.pk) is None


def surge_counts(captured):
    """The exact check's counts of an article's recent comments or reports."""
    return [q["sql"] for q in captured if '"__count"' in q["sql"] and 'created_at" >=' in q["sql"]]


def test_below_the_minimum_the_cache_counts_and_no_post_counts_rows(
    open_article, comment_data, committed, monkeypatch
):
    """Issue 8: with a shared cache, a post on a quiet article costs no surge query at all;
    the post that brings the count to the minimum is checked in the database."""
    monkeypatch.setattr(surge, "counts_for_every_process", lambda: True)
    cache.clear()
    for n in range(SURGE - 1):
        with CaptureQueriesContext(connection) as captured:
            post(open_article, comment_data, n, committed)
        assert not surge_counts(captured)

    with CaptureQueriesContext(connection) as captured:
        post(open_article, comment_data, SURGE, committed)

    assert surge_counts(captured)
    assert surge.is_strict(open_article.pk)


def test_in_strict_mode_a_post_runs_no_surge_check(open_article, comment_data, committed):
    """Strict mode already on: nothing a check could start, so nothing is counted."""
    surge.start(open_article.pk, reason="turned on by hand")

    with CaptureQueriesContext(connection) as captured:
        assert post(open_article, comment_data, 1, committed).status_code == 302

    assert not surge_counts(captured)


def test_the_cache_never_counts_fewer_than_the_window_holds(open_article, monkeypatch):
    """Counts kept per tenth of the window: whatever the minute, everything in the last
    window is counted (a little more, never less), and what is older drops out."""
    monkeypatch.setattr(surge, "counts_for_every_process", lambda: True)
    cache.clear()
    start = timezone.now()
    step = datetime.timedelta(seconds=599 / (SURGE - 1))
    answers = [
        surge.may_surge(open_article.pk, "comments", now=start + n * step) for n in range(SURGE)
    ]
    assert answers == [False] * (SURGE - 1) + [True], "8 comments within 10 minutes"

    # Past the last one by a window and a tenth of it: only the new one counts.
    later = start + 8 * step + datetime.timedelta(seconds=600 + 60 + 1)
    assert not surge.may_surge(open_article.pk, "comments", now=later), "the old ones dropped out"


def test_a_cache_that_cannot_count_means_an_exact_check(open_article, monkeypatch, caplog):
    monkeypatch.setattr(surge, "counts_for_every_process", lambda: True)

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(surge, "_add_one_and_sum", down)

    assert surge.may_surge(open_article.pk, "comments")
    assert "checking exactly" in caplog.text


def test_a_per_process_cache_means_every_post_is_checked_exactly(open_article):
    assert not surge.counts_for_every_process()
    assert surge.may_surge(open_article.pk, "comments")


def proven_browser(article, email, *, address):
    """A browser that proved ``email`` through the mailed link."""
    reader = Client(REMOTE_ADDR=address)
    own = CommentFactory(article=article, email=email, body="Proving my address.")
    reader.post(reverse("comments:verify", args=[commenters.verification_token(own)]))
    return reader


def send_three(reader, article, comment_data, email):
    url = reverse("comments:post", args=[article.slug])
    bodies = ["One thought.", "And another.", "A third, then."]
    return [reader.post(url, comment_data(email=email, body=body)).status_code for body in bodies]


def test_in_strict_mode_an_established_verified_commenter_is_not_slowed(
    open_article, comment_data, settings
):
    settings.COMMENTS_RATE_LIMIT = 5
    regular = "regular@example.net"
    CommentFactory(article=open_article, email=regular, approved=True)
    reader = proven_browser(open_article, regular, address="198.51.100.21")
    surge.start(open_article.pk, reason="test")

    statuses = send_three(reader, open_article, comment_data, regular)

    assert statuses == [302, 302, 302]
    sent = Comment.objects.filter(email=regular, status="pending").exclude(body__startswith="Prov")
    assert [c.held_reasons for c in sent] == [["strict-mode"]] * 3, "still pre-moderated"


@pytest.mark.parametrize("who", ["proven, never approved", "typed a regular's address"])
def test_in_strict_mode_new_commenters_are_slowed(open_article, comment_data, settings, who):
    settings.COMMENTS_RATE_LIMIT = 5
    regular = "regular@example.net"
    CommentFactory(article=open_article, email=regular, approved=True)
    if who == "proven, never approved":
        email = "newcomer@example.net"
        reader = proven_browser(open_article, email, address="198.51.100.22")
    else:
        email, reader = regular, Client(REMOTE_ADDR="198.51.100.23")
    surge.start(open_article.pk, reason="test")

    assert send_three(reader, open_article, comment_data, email) == [302, 429, 429]


def test_out_of_strict_mode_new_commenters_get_the_usual_rate(open_article, comment_data, settings):
    settings.COMMENTS_RATE_LIMIT = 3
    reader = Client(REMOTE_ADDR="198.51.100.24")

    assert send_three(reader, open_article, comment_data, "new@example.net") == [302] * 3


def test_with_redis_the_counts_expire_and_read_as_cache_values(open_article, settings):
    """The pipeline behind ``may_surge`` with the project's Redis cache backend."""
    import redis

    location = "redis://127.0.0.1:6379/7"  # as tests/test_scale_out.py: the suite's own database
    try:
        redis.Redis.from_url(location, socket_timeout=2).ping()
    except redis.RedisError as error:
        if IN_CI:
            pytest.fail(f"needs Redis at {location}: {error}")
        pytest.skip(f"needs Redis at {location}: {error}")
    prefix = f"test-surge-{secrets.token_hex(4)}"
    settings.CACHES = {
        "default": {
            "BACKEND": "geopolitics.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }
    assert surge.counts_for_every_process()
    now = timezone.now()
    try:
        answers = [surge.may_surge(open_article.pk, "reports", now=now) for _ in range(SURGE)]
        slice_key = f"comments:surge:reports:{open_article.pk}:{int(now.timestamp()) // 60}"
        assert cache.get(slice_key) == SURGE
        ttl = cache.client().ttl(cache.make_and_validate_key(slice_key))
        assert 0 < ttl <= 600 + 120, "each count expires on its own"
    finally:
        cache.clear()
    assert answers == [False] * (SURGE - 1) + [True]
