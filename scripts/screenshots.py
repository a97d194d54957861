"""
Take the README's screenshots: ``make screenshots`` (or ``python scripts/screenshots.py``).

Builds a throwaway SQLite database with the demo content (``loaddemo``), serves it
with ``runserver`` on a free local port, and drives Debian's Chromium through
Playwright to write into docs/screenshots/:

- front-desktop.png    the front page at 1440 px: lead story, grid, most discussed
- front-mobile.png     the front page at 390 px (drawn at twice the pixels)
- article-desktop.png  the top of an article page at 1440 px
- article-mobile.png   the same at 390 px (drawn at twice the pixels), contents collapsed
- article-comments.png its approved comments, threaded, one answering a section
- comment-form-errors.png  the comment form after an empty submission
- moderation-queue.png the moderation desk: pending comments as cards
- editor-sections.png  the article editor: jump list, a section with its preview beside it
- editor-figures.png   the article editor's figure rows, with thumbnails
- country.png, country-mobile.png  a country page with its map (EXTRA_PAGES)
- world.png            /world/: the coverage map and its list (EXTRA_PAGES)

Pages added to the site later get a line in ``EXTRA_PAGES`` (a name, a path,
and whether a phone shot is wanted too).

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
PASSWORD = "screenshots-only-password"  # noqa: S105 (a throwaway database)
READER = {"Name": "Ines Okafor", "Email": "ines@example.org"}
# More pages to shoot at 1440 px (and at 390 px when the flag is set):
# ("country", "/countries/ru/", True) writes country.png and
# country-mobile.png.
EXTRA_PAGES: list[tuple[str, str, bool]] = [
    ("country", "/countries/ru/", True),  # a country page with its map (demo: Arctic)
    ("world", "/world/", False),  # the coverage map and its list
]


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
        _shrink(png)
        print(png.relative_to(ROOT) if png.is_relative_to(ROOT) else png)


def _shrink(png):
    """Rewrite ``png`` with a 256-colour palette: a third of the bytes, text still crisp."""
    from PIL import Image

    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
    small.save(png, optimize=True)


def _environment(workdir):
    return {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "SERVE_MEDIA": "true",
        "REDIS_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # The script types faster than a person; the spam guard would refuse it.
        "COMMENTS_MIN_SUBMIT_SECONDS": "0",
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
    from django.core.management import call_command
    from django.db.models import Count

    from articles.models import Article

    call_command("migrate", verbosity=0, interactive=False)
    call_command("loaddemo", verbosity=0)
    moderator = User.objects.create_user("moderator", password=PASSWORD, is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    article = (
        Article.objects.published()
        .annotate(section_total=Count("sections"))
        .order_by("-section_total", "-published_at")
        .first()
    )
    return article.get_absolute_url()


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

    from tests.browser.chromium import DESKTOP, MOBILE, launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        reader = browser.new_context(base_url=base_url, viewport=DESKTOP)
        page = reader.new_page()
        page.goto(article_url)
        _post_comments(page, article_url)
        _shoot_form_errors(page, article_url, out / "comment-form-errors.png")

        desk = browser.new_context(base_url=base_url, viewport=DESKTOP).new_page()
        _log_in(desk)
        desk.goto("/admin/comments/comment/desk/")
        # Fold the admin's side menu away, as a moderator with a queue would.
        desk.locator("#toggle-nav-sidebar").click()
        desk.screenshot(path=out / "moderation-queue.png", full_page=True)
        _approve_pending(desk)
        _post_reply(page, article_url)
        _approve_pending(desk)

        page.goto(article_url)
        _wait_for_images(page)
        page.screenshot(path=out / "article-desktop.png")
        _shoot_region(
            page,
            page.locator("#comments-heading"),
            page.locator("#comments ol").first,
            out / "article-comments.png",
        )

        mobile = browser.new_context(
            base_url=base_url, viewport=MOBILE, device_scale_factor=2, is_mobile=True
        ).new_page()
        mobile.goto(article_url)
        _wait_for_images(mobile)
        mobile.screenshot(path=out / "article-mobile.png")

        _shoot_page(page, "/", out / "front-desktop.png", full_page=True)
        _shoot_page(mobile, "/", out / "front-mobile.png")
        for name, path, on_phone in EXTRA_PAGES:
            _shoot_page(page, path, out / f"{name}.png", full_page=True)
            if on_phone:
                _shoot_page(mobile, path, out / f"{name}-mobile.png")

        editor = browser.new_context(base_url=base_url, viewport=DESKTOP).new_page()
        _shoot_editor(editor, article_url, out)
        browser.close()


def _shoot_page(page, path, out, full_page=False):
    page.goto(path)
    _wait_for_images(page)
    page.screenshot(path=out, full_page=full_page)


def _shoot_editor(page, article_url, out):
    """The same article in the admin: one section open, the rest folded."""
    _log_in(page, "editor")
    page.goto(f"/admin/articles/article/?q={article_url.strip('/').split('/')[-1]}")
    page.locator("#result_list tbody tr th a").first.click()
    page.wait_for_load_state("load")
    page.locator("#toggle-nav-sidebar").click()
    page.get_by_role("button", name="Collapse all").click()
    page.locator("#sections-0").get_by_role("button", name="Expand").click()
    page.locator("#sections-0 .markdownx-preview p").first.wait_for()
    _shoot_region(
        page,
        page.locator("#sections-group h2").first,
        page.locator("#sections-2"),
        out / "editor-sections.png",
    )
    page.locator("#figures-group").screenshot(path=out / "editor-figures.png")


def _fill_comment(form, text):
    for label, value in READER.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_label("Comment", exact=True).fill(text)
    form.get_by_role("button").last.click()


def _post_comments(page, article_url):
    """A reader answers a section, then the article."""
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


def _post_reply(page, article_url):
    """A second reader answers the comment on the whole article (newest first: on page 1)."""
    page.goto(f"{article_url}?sort=newest")
    ours = page.locator("article.comment__item", has_text="Clear and fair")
    ours.get_by_role("link", name="Reply").click()
    form = page.locator("form:has(textarea)")
    form.get_by_label("Name", exact=True).fill("Tomas Berg")
    form.get_by_label("Email", exact=True).fill("tomas@example.org")
    form.get_by_label("Comment", exact=True).fill(
        "A map would help, and so would the insurers' own lists of closed waters."
    )
    form.get_by_role("button").last.click()
    page.get_by_text("awaiting moderation").wait_for()


def _shoot_form_errors(page, article_url, path):
    """Input the browser lets through but the server refuses: errors beside fields."""
    page.goto(article_url)
    form = page.locator("form:has(textarea)")
    form.get_by_label("Name", exact=True).fill(READER["Name"])
    form.get_by_label("Email", exact=True).fill("ines@example")
    form.get_by_label("Comment", exact=True).fill("   ")
    form.get_by_role("button").last.click()
    form = page.locator("form:has(textarea)")
    form.locator("[aria-invalid=true]").first.wait_for()
    page.locator("#comment-form").screenshot(path=path)


def _log_in(page, username="moderator"):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def _approve_pending(page):
    """Tick every card at the moderation desk and approve them (a plain form: no script)."""
    page.goto("/admin/comments/comment/desk/")
    for box in page.locator(".desk-card input[type=checkbox]").all():
        box.check()
    page.locator("#bulk select[name='action']").select_option("approve")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply to ticked").click()


def _shoot_region(page, first, last, path, margin=24):
    """From the top of ``first`` to the bottom of ``last``, with a margin around."""
    scroll_y = page.evaluate("window.scrollY")
    top, bottom = first.bounding_box(), last.bounding_box()
    clip = {
        "x": min(top["x"], bottom["x"]) - margin,
        "y": top["y"] + scroll_y - margin,
        "width": max(top["width"], bottom["width"]) + 2 * margin,
        "height": bottom["y"] + bottom["height"] - top["y"] + 2 * margin,
    }
    page.screenshot(path=path, clip=clip, full_page=True)


def _wait_for_images(page):
    """Lazy images load once scrolled to; scroll through, then back to the top."""
    for image in page.locator("img").all():
        image.scroll_into_view_if_needed()
    # Polled with evaluate(): wait_for_function() evals a string, which our CSP forbids.
    for _ in range(100):
        if page.evaluate("[...document.images].every(img => img.complete)"):
            break
        page.wait_for_timeout(100)
    page.evaluate("window.scrollTo(0, 0)")


if __name__ == "__main__":
    main()
