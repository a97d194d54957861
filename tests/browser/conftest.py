"""
Browser tests: Playwright for Python driving Debian's Chromium against
pytest-django's ``live_server``.

One Chromium serves all the browser tests; each test gets fresh browser
contexts (its own cookies), so a reader and a moderator can be two people.
Nothing is fetched from outside the live server: requests to any other
origin are aborted and recorded, so a CDN or a web font would be noticed.
"""

import contextlib
import os

import factory
import pytest
from django.contrib.auth.models import Group, User
from django.db import connections

from tests.conftest import IN_CI

from .chromium import CHROMIUM, DESKTOP, launch_chromium

PASSWORD = "correct horse battery staple"
# How long any one wait may last before the test fails. Tests wait for what the
# page shows (``expect``, ``expect_navigation``, load states), never for time;
# this is only the ceiling for a page that never gets there, and the same for
# actions and assertions (``expect`` would otherwise give up after 5 s, which a
# loaded machine can need just to render an admin page).
PATIENCE_MS = 10_000


@contextlib.contextmanager
def orm_beside_playwright():
    """Let the tests use the ORM while Playwright's sync API is running.

    Playwright's sync API keeps an asyncio loop running in this thread, and
    Django refuses ORM calls from a thread with a running loop
    (SynchronousOnlyOperation). The tests call the ORM (factories, checks)
    between browser steps, never concurrently with the loop, so the check is a
    false alarm here. The variable is set only while the browser runs: it must
    not leak into other tests or their subprocesses (``check --deploy`` flags
    it). https://docs.djangoproject.com/en/5.2/topics/async/#async-safety
    """
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if saved is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


def _serialized_contents():
    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One Chromium for the browser tests, closed (with its loop) after the last.

    While the loop runs, Django's thread-critical ``connections`` are kept per
    asyncio context (asgiref's Local), so the tests get fresh connection
    objects that lack the migrated database's snapshot taken at setup. Hand it
    over, so that ``serialized_rollback`` restores the rows the data
    migrations made (the Editors and Moderators groups) after each flush.
    """
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run `make browser-deps` to install Debian's chromium"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    snapshot = _serialized_contents()
    with orm_beside_playwright(), sync_playwright() as playwright:
        for alias, contents in snapshot.items():
            connections[alias]._test_serialized_contents = contents
        chromium = launch_chromium(playwright)
        expect.set_options(timeout=PATIENCE_MS)
        yield chromium
        chromium.close()
        connections.close_all()


@pytest.fixture(autouse=True)
def _readers_type_at_machine_speed(settings):
    """The comment form refuses posts sent sooner than a person could type;
    the tests type instantly, and must not wait on the clock."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh context: ``new_page(viewport=MOBILE, color_scheme="dark")``."""
    contexts = []
    foreign_requests = []

    def block_other_origins(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            foreign_requests.append(route.request.url)
            route.abort()

    def open_page(viewport=DESKTOP, **options):
        context = browser.new_context(base_url=live_server.url, viewport=viewport, **options)
        context.set_default_timeout(PATIENCE_MS)
        context.route("**/*", block_other_origins)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert not foreign_requests, f"pages fetched from other origins: {foreign_requests}"


@pytest.fixture
def page(new_page):
    return new_page()


def _staff_user(username, group_name):
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(transactional_db):
    return _staff_user("eddie", "Editors")


@pytest.fixture
def moderator(transactional_db):
    return _staff_user("mo", "Moderators")


def log_in(page, user):
    """Log in through the admin's login form, as a person would."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


SECTION_BODIES = {
    "The thaw": (
        "Summer ice in the Arctic has thinned for four decades, and with it the "
        "argument that the far north is too hard to reach to be worth contesting.[^1]\n\n"
        "> A sea that opens for three months a year is still a sea.\n\n"
        "[^1]: Satellite records kept since 1979."
    ),
    "New routes": (
        "Two lanes matter:\n\n"
        "- the **Northern Sea Route** along the Russian coast;\n"
        "- the *Northwest Passage* through the Canadian archipelago.\n\n"
        "Neither is a shortcut in winter."
    ),
    "Who decides": (
        "The [Arctic Council](https://example.org/arctic-council) has no power to "
        "close a strait, so the answer is written in coastguard budgets instead. "
        "See <https://example.org/reports/ArcticShippingWorkingGroupAnnualAssessment2024>."
    ),
}


@pytest.fixture
def reading_article(transactional_db):
    """A published article with what readers meet: nested sections, a figure,
    footnotes, tags, an author with a portrait and links, and related reading."""
    from tests.factories import (
        ArticleFactory,
        AuthorFactory,
        FigureFactory,
        SectionFactory,
        SocialLinkFactory,
    )

    author = AuthorFactory(
        name="Mara Lindqvist",
        slug="mara-lindqvist",
        bio="Covers the **Arctic** and northern shipping.",
        avatar=factory.django.ImageField(width=240, height=240, color="darkslategray"),
    )
    SocialLinkFactory(author=author, platform="Mastodon")
    article = ArticleFactory(
        published=True,
        author=author,
        title="Ice, shipping and sovereignty",
        slug="ice-shipping-sovereignty",
        standfirst="As the ice retreats, the question of who may sail where "
        "is settled by budgets more than by treaties.",
        tags=["Arctic", "Shipping"],
    )
    sections = {}
    for position, (heading, body) in enumerate(SECTION_BODIES.items(), start=1):
        sections[heading] = SectionFactory(
            article=article,
            heading=heading,
            body=body,
            position=position,
            nested=heading == "New routes",
        )
    FigureFactory(
        article=article,
        section=sections["The thaw"],
        image__width=1200,
        image__height=675,
        image__color="steelblue",
        alt_text="Chart of summer sea ice shrinking since 1979",
        caption="Summer sea ice, 1979 to today.",
    )
    ArticleFactory(
        published=True,
        author=author,
        title="Coastguards as diplomats",
        slug="coastguards-as-diplomats",
        tags=["Arctic"],
    )
    return article


@pytest.fixture
def discussed_article(reading_article):
    """``reading_article`` with approved comments: a section response, a comment
    with a reply, and one removed comment that readers see only as a count."""
    from tests.factories import CommentFactory

    who_decides = reading_article.sections.get(anchor="who-decides")
    CommentFactory(
        article=reading_article,
        section=who_decides,
        approved=True,
        name="Ines Okafor",
        body="Insurers decide too: no cover, no sailing.",
    )
    comment = CommentFactory(
        article=reading_article,
        approved=True,
        name="Tomas Berg",
        body="Clear and fair. A map of the disputed straits would help.\n\n"
        "See https://example.org/straits for one attempt.",
    )
    CommentFactory(
        article=reading_article,
        parent=comment,
        approved=True,
        name="Mara Lindqvist",
        body="Thank you: a map is on its way.",
    )
    CommentFactory(article=reading_article, rejected=True)
    return reading_article
