"""Two gunicorn instances on one PostgreSQL and one Redis behave as one site.

Each test drives real servers over loopback, as a load balancer would send a
reader's requests to either of them: the comment rate limit, a staff login
and a cache invalidation must hold whichever instance answers. A
moderator's decision made in another process (the admin on some other
instance, a command) shows on the very next page from every instance, which
holds whether or not a full-page cache sits in front of the page.
"""

import html
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import redis
from django.db import connection

from comments.client import RATE_LIMITED
from comments.models import Comment

from .conftest import IN_CI
from .factories import ArticleFactory, CommentFactory, SectionFactory
from .test_settings import manage

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/7"  # this suite's own Redis database; flushed around each test
RATE_LIMIT = 3
START_TIMEOUT = 60  # seconds for an instance to answer /healthz before the test gives up


def needs(message):
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        needs(f"needs Redis at {REDIS_URL}: {error}")
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture(scope="module")
def site_env(django_db_setup, shared_redis):
    """The environment every process of the site gets: one database, one Redis, one secret."""
    if connection.vendor != "postgresql":
        needs("needs PostgreSQL: set DATABASE_URL (see README)")
    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
    database_url = (
        f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "COMMENTS_", "AWS_", "CACHE_"))
    }
    return {
        **inherited,
        "DEBUG": "true",  # plain-HTTP cookies on loopback; nothing else differs here
        "SECRET_KEY": "scale-out-test-secret-shared-by-every-instance-8c1f2e",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "0",  # no idle connection keeps the test database open
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": "scale-out-test",
        "COMMENTS_RATE_LIMIT": str(RATE_LIMIT),
        "COMMENTS_MIN_SUBMIT_SECONDS": "0",
    }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(process, base, log):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 (our loopback http URL)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn at {base} did not answer /healthz:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def instances(site_env, tmp_path_factory):
    """Two gunicorn instances (one sync worker each) on loopback ports: their base URLs."""
    logs = tmp_path_factory.mktemp("gunicorn")
    started, bases = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = logs / f"{name}.log"
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "geopolitics.wsgi"]
                + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
                cwd=ROOT,
                env=site_env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
            started.append(process)
            base = f"http://127.0.0.1:{port}"
            wait_until_serving(process, base, log)
            bases.append(base)
        yield bases
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def fresh_redis(shared_redis):
    shared_redis.flushdb()
    yield
    shared_redis.flushdb()


def run_in_site_process(site_env, code):
    """Run Python in one more process of the site (as a command or the worker would)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=site_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One reader's cookies, sent to whichever instance a request goes to."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirects
        )

    def request(self, url, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)  # noqa: S310 (our loopback http URL)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()


def hidden(page, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no {name} in the page"
    return html.unescape(match.group(1))


def csrf_field(page):
    """The page's CSRF token as a form field, if the form carries one."""
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', page)
    return {"csrfmiddlewaretoken": html.unescape(match.group(1))} if match else {}


def send_comment(browser, *, form_from, post_to, article, body):
    """Open the form on one instance and send it to another, as a balancer may."""
    status, _, page = browser.request(f"{form_from}{article.get_absolute_url()}")
    assert status == 200
    return browser.request(
        f"{post_to}/comments/post/{article.slug}/",
        {
            **csrf_field(page),
            "token": hidden(page, "token"),
            "name": "Reader",
            "email": "reader@example.org",
            "body": body,
        },
    )


@pytest.fixture
def article(transactional_db):
    article = ArticleFactory(published=True, slug="one-site-two-servers")
    SectionFactory(article=article, heading="The argument")
    return article


@pytest.mark.postgres
@pytest.mark.parametrize("last", [0, 1], ids=["over-limit-on-a", "over-limit-on-b"])
def test_the_comment_rate_limit_holds_across_instances(instances, fresh_redis, article, last):
    order = [instances[(last + RATE_LIMIT - i) % 2] for i in range(RATE_LIMIT + 1)]
    assert order[-1] == instances[last]
    browser = Browser()

    statuses, pages = [], []
    for i, target in enumerate(order):
        other = instances[1 - instances.index(target)]
        status, _, page = send_comment(
            browser, form_from=other, post_to=target, article=article, body=f"Point {i} stands."
        )
        statuses.append(status)
        pages.append(page)

    assert statuses == [302] * RATE_LIMIT + [429]
    assert RATE_LIMITED in html.unescape(pages[-1])
    assert Comment.objects.filter(article=article).count() == RATE_LIMIT


@pytest.mark.postgres
def test_a_login_on_one_instance_is_valid_on_the_other_and_so_is_the_logout(
    instances, shared_redis, fresh_redis, transactional_db, django_user_model, settings
):
    a, b = instances
    # The servers know only the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-passphrase")
    browser = Browser()
    _, _, login_page = browser.request(f"{a}/admin/login/")

    status, headers, _ = browser.request(
        f"{a}/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": hidden(login_page, "csrfmiddlewaretoken"),
            "username": "chief",
            "password": "a-long-passphrase",
            "next": "/admin/",
        },
    )
    assert (status, headers["Location"]) == (302, "/admin/")

    status, _, index = browser.request(f"{b}/admin/")
    assert status == 200
    assert "Welcome," in index and "<strong>chief</strong>" in index

    status, _, _ = browser.request(
        f"{b}/admin/logout/", {"csrfmiddlewaretoken": hidden(index, "csrfmiddlewaretoken")}
    )
    assert status == 200
    status, headers, _ = browser.request(f"{a}/admin/")
    assert status == 302
    assert headers["Location"].startswith("/admin/login/")


@pytest.mark.postgres
def test_a_value_cached_or_deleted_by_one_process_is_seen_by_another(site_env, fresh_redis):
    set_in_one = "from django.core.cache import cache; cache.set('probe', 'from one', 300)"
    read_then_delete = (
        "from django.core.cache import cache; print(cache.get('probe')); cache.delete('probe')"
    )
    read_again = "from django.core.cache import cache; print(cache.get('probe', 'gone'))"

    run_in_site_process(site_env, set_in_one)

    assert run_in_site_process(site_env, read_then_delete) == "from one"
    assert run_in_site_process(site_env, read_again) == "gone"


@pytest.mark.postgres
def test_clearing_a_readers_rate_limit_in_one_process_frees_them_on_every_instance(
    instances, site_env, fresh_redis, article
):
    a, b = instances
    browser = Browser()
    for i in range(RATE_LIMIT):
        send_comment(browser, form_from=a, post_to=(a, b)[i % 2], article=article, body=f"No. {i}")
    status, _, _ = send_comment(browser, form_from=a, post_to=b, article=article, body="Refused")
    assert status == 429

    run_in_site_process(
        site_env,
        "from django.core.cache import cache; from comments import client as clients; "
        "cache.delete('comments:rate:' + clients.hash_ip('127.0.0.1'))",
    )

    status, _, _ = send_comment(browser, form_from=b, post_to=a, article=article, body="Again")
    assert status == 302
    status, _, _ = send_comment(browser, form_from=a, post_to=b, article=article, body="And b")
    assert status == 302


def test_sessions_live_in_the_database_with_or_without_redis():
    """Any app server sees a login, and logging in never depends on Redis being up."""
    assert run_python_settings(REDIS_URL=REDIS_URL) == "django.contrib.sessions.backends.db"
    assert run_python_settings(REDIS_URL="") == "django.contrib.sessions.backends.db"


def run_python_settings(**env):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SESSION_ENGINE)",
        DEBUG="true",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def anonymous_page(base, article):
    """The article as a reader with no cookie sees it: the reader a page cache serves."""
    status, _, page = Browser().request(f"{base}{article.get_absolute_url()}")
    assert status == 200
    return html.unescape(page)


@pytest.mark.postgres
def test_a_moderators_decision_in_one_process_shows_on_every_instance_at_once(
    instances, site_env, fresh_redis, article
):
    comment = CommentFactory(article=article, body="Fisheries are the real story here.")
    for base in instances * 2:  # twice each, so that a page cache would now hold the page
        assert comment.body not in anonymous_page(base, article)

    run_in_site_process(
        site_env,
        "from comments import moderation; from comments.models import Comment; "
        f"moderation.approve(Comment.objects.get(pk={comment.pk}))",
    )
    for base in instances:
        assert comment.body in anonymous_page(base, article)

    run_in_site_process(
        site_env,
        "from comments import moderation; from comments.models import Comment; "
        f"moderation.reject(Comment.objects.get(pk={comment.pk}), reason='off-topic')",
    )
    for base in instances:
        assert comment.body not in anonymous_page(base, article)
