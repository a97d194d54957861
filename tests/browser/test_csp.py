"""The Content-Security-Policy blocks nothing the site and the admin need, in Chromium."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    # Keep the groups that the data migrations create (flushed otherwise).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Recorded by every page before its own scripts run.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched_page(page):
    """A page whose console messages are kept, with CSP violations recorded."""
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    page.console_messages_seen = []
    page.on("console", lambda message: page.console_messages_seen.append(message.text))
    return page


def violations(page):
    reported = page.evaluate("window.__cspViolations")
    logged = [text for text in page.console_messages_seen if "Content Security Policy" in text]
    return reported + logged


def test_the_admin_editor_previews_and_uploads_under_the_policy(watched_page, editor, settings):
    page = watched_page
    log_in(page, editor)
    page.goto("/admin/articles/article/add/")
    page.get_by_role("button", name="Add another Section").click()
    body = page.locator("#id_sections-0-body")
    # markdownx marks the textarea once its editor listens; typing before would be lost.
    expect(body).to_have_attribute("data-markdownx-init", "")

    body.press_sequentially("Ice **closes** the port.")
    expect(page.locator("#sections-0 .markdownx-preview strong")).to_have_text("closes")

    # Drop an image onto the editor, as an editor would drag one in.
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "steelblue").save(buffer, "PNG")
    page.evaluate(
        """(bytes) => {
            const editor = document.querySelector("#id_sections-0-body");
            const file = new File([new Uint8Array(bytes)], "chart.png", {type: "image/png"});
            const transfer = new DataTransfer();
            transfer.items.add(file);
            editor.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true}));
        }""",
        list(buffer.getvalue()),
    )
    expect(body).to_have_value(re.compile(r"!\[\]\(/media/uploads/\d{4}/\d{2}/[0-9a-f]{32}\.png\)"))
    uploaded = list((settings.MEDIA_ROOT / "uploads").rglob("*.png"))
    assert len(uploaded) == 1
    expect(page.locator("#sections-0 .markdownx-preview img")).to_have_count(1)
    page.wait_for_function(
        "document.querySelector('#sections-0 .markdownx-preview img').naturalWidth > 0"
    )

    assert violations(page) == []


def test_public_pages_raise_no_policy_violation(watched_page, discussed_article):
    page = watched_page
    author = discussed_article.author
    tag = discussed_article.tags.first()
    for url in [
        "/",
        discussed_article.get_absolute_url(),
        f"/tags/{tag.slug}/",
        author.get_absolute_url(),
        "/search/?q=ice",
        "/no-such-page/",
    ]:
        page.goto(url)
        page.wait_for_load_state("load")

    assert violations(page) == []
