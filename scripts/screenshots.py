"""
Take the README's screenshots: ``make screenshots`` (or ``python scripts/screenshots.py``).

Builds a throwaway SQLite database with the demo content (``loaddemo``, or a
small article from the test factories when that command is missing), serves it
with ``runserver`` on a free local port, and drives Debian's Chromium through
Playwright to write into docs/screenshots/:

- article-desktop.png  the article page at 1440 px, with approved comments
- article-mobile.png   the same page at 390 px
- comment-form-errors.png  the comment form after an empty submission
- moderation-queue.png the moderators' queue of pending comments

Nothing is fetched from outside the machine.
"""

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1440, "height": 900}
MOBILE = {"width": 390, "height": 844}
PASSWORD = "screenshots-only-password"  # noqa: S105 (a throwaway database)
READER = {"Name": "Ines Okafor", "Email": "ines@example.org"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the PNGs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="geopolitics-shots-") as workdir:
        env = _environment(Path(workdir))
        os.environ.update(env)
        article_url = _build_site()
        with _server(env) as base_url:
            _take_screenshots(base_url, article_url, args.out)
    for png in sorted(args.out.glob("*.png")):
        print(png.relative_to(ROOT) if png.is_relative_to(ROOT) else png)


def _environment(workdir):
    return {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "SERVE_MEDIA": "true",
        "REDIS_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # The admin's pages and Django's logs stay quiet.
        "LOG_LEVEL": "WARNING",
    }


def _build_site():
    """Migrate, load content and make a moderator; return the article's path."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geopolitics.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command, get_commands
    from django.db.models import Count

    from articles.models import Article

    call_command("migrate", verbosity=0, interactive=False)
    if "loaddemo" in get_commands():
        call_command("loaddemo", verbosity=0)
    else:
        _load_factory_article()
    moderator = User.objects.create_user("moderator", password=PASSWORD, is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    article = (
        Article.objects.published()
        .annotate(section_total=Count("sections"))
        .order_by("-section_total", "-published_at")
        .first()
    )
    return article.get_absolute_url()


def _load_factory_article():
    from tests.browser.conftest import SECTION_BODIES
    from tests.factories import ArticleFactory, FigureFactory, SectionFactory

    article = ArticleFactory(
        published=True,
        title="Ice, shipping and sovereignty",
        slug="ice-shipping-sovereignty",
        standfirst="As the ice retreats, who may sail where is settled by budgets.",
        tags=["Arctic", "Shipping"],
    )
    for position, (heading, body) in enumerate(SECTION_BODIES.items(), start=1):
        section = SectionFactory(article=article, heading=heading, body=body, position=position)
    FigureFactory(article=article, section=section, image__width=1200, image__height=675)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _server(env):
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(f"{base_url}/healthz", server)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_up(url, server, attempts=100):
    for _ in range(attempts):
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode})")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            if response.status == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer at {url}")


def _take_screenshots(base_url, article_url, out):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        reader = browser.new_context(base_url=base_url, viewport=DESKTOP)
        page = reader.new_page()
        page.goto(article_url)
        _post_comments(page, article_url)
        _shoot_form_errors(page, article_url, out / "comment-form-errors.png")

        desk = browser.new_context(base_url=base_url, viewport=DESKTOP)
        _moderate(desk.new_page(), out / "moderation-queue.png")

        page.goto(article_url)
        _shoot_full_page(page, out / "article-desktop.png")
        mobile = browser.new_context(
            base_url=base_url, viewport=MOBILE, device_scale_factor=2, is_mobile=True
        )
        mobile_page = mobile.new_page()
        mobile_page.goto(article_url)
        _shoot_full_page(mobile_page, out / "article-mobile.png", scale="css")
        browser.close()


def _fill_comment(form, text):
    for label, value in READER.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_label("Comment", exact=True).fill(text)
    form.get_by_role("button").last.click()


def _post_comments(page, article_url):
    """A reader answers a section, then the article, then replies to nobody yet."""
    page.get_by_role("link", name="Respond to this section").first.click()
    _fill_comment(
        page.locator("form:has(textarea)"),
        "The budget argument holds for icebreakers, but insurers decide too: "
        "no cover, no sailing, whatever the coastguard can do.",
    )
    page.get_by_text("awaiting moderation").wait_for()
    page.goto(article_url)
    _fill_comment(
        page.locator("form:has(textarea)"),
        "Clear and fair. I would add a map of the disputed straits.",
    )
    page.get_by_text("awaiting moderation").wait_for()


def _shoot_form_errors(page, article_url, path):
    page.goto(article_url)
    form = page.locator("form:has(textarea)")
    form.get_by_label("Name", exact=True).fill(READER["Name"])
    form.get_by_role("button").last.click()
    form = page.locator("form:has(textarea)")
    form.get_by_label("Comment", exact=True).wait_for()
    form.scroll_into_view_if_needed()
    form.screenshot(path=path)


def _moderate(page, path):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.goto("/admin/comments/comment/")
    page.screenshot(path=path, full_page=True)
    page.locator("#action-toggle").check()
    page.locator("select[name='action']").select_option(label="Approve selected comments")
    page.get_by_role("button", name="Go").click()
    page.wait_for_load_state()


def _shoot_full_page(page, path, **options):
    # Lazy images below the fold load only once scrolled to.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("[...document.images].every(img => img.complete)")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=path, full_page=True, **options)


if __name__ == "__main__":
    main()
