"""Journey 1: an editor writes an article in the admin and publishes it."""

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.factories import AuthorFactory

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    # Keep the groups that the data migrations create (flushed otherwise).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SECTIONS = [
    # (heading, level label, body)
    ("Harbours in winter", "Section", "Ice closes the northern ports for weeks."),
    ("The pilots' view", "Subsection", "Pilots read the ice before the charts do."),
    ("Who pays for icebreakers", "Section", "Budgets decide which lanes stay open."),
]


@pytest.fixture
def chart_png(tmp_path):
    path = tmp_path / "baltic-ports.png"
    Image.new("RGB", (800, 450), "steelblue").save(path)
    return path


def add_section(page, index, heading, level, body):
    page.get_by_role("button", name="Add another Section").click()
    form = page.locator(f"#sections-{index}")
    form.get_by_label("Position").fill(str(index + 1))
    form.get_by_label("Level").select_option(label=next_level_label(page, form, level))
    form.get_by_label("Heading").fill(heading)
    form.get_by_label("Body").fill(body)
    expect_live_preview(form, body)


def expect_live_preview(form, text):
    """Wait until the row's Markdown preview shows ``text``.

    A row added with "Add another Section" gets its editor when markdownx's
    script, appended again by markdownx_inlines.js, has loaded; a stored row
    gets it on DOMContentLoaded. Either way markdownx renders the text already
    there when it starts, so the preview showing it proves that the editor
    listens and that its first request has come back: what is typed next
    renders after it, never under it.
    """
    expect(form.locator(".markdownx-preview")).to_contain_text(text)


def next_level_label(page, form, prefix):
    labels = form.get_by_label("Level").locator("option").all_inner_texts()
    return next(label for label in labels if label.startswith(prefix))


def choose_author(page, name):
    """Pick the author in the admin's autocomplete (select2) widget."""
    page.locator(".field-author .select2-selection").click()
    page.locator(".select2-search__field").fill(name.split()[0])
    page.get_by_role("option", name=name).click()


def test_editor_writes_and_publishes_an_article(page, editor, chart_png):
    AuthorFactory(name="Mara Lindqvist", slug="mara-lindqvist")
    log_in(page, editor)

    page.goto("/admin/articles/article/add/")
    page.get_by_label("Title").press_sequentially("Ports of the frozen Baltic")
    expect(page.get_by_label("Slug")).to_have_value("ports-of-the-frozen-baltic")
    page.get_by_label("Standfirst").fill("Which harbours stay open when the sea freezes.")
    choose_author(page, "Mara Lindqvist")
    page.get_by_label("Tags").fill("Baltic, Shipping")
    for index, (heading, level, body) in enumerate(SECTIONS):
        add_section(page, index, heading, level, body)
    # The live preview renders what the editor types, with the site's
    # renderer, in a row added with "Add another Section" too.
    body = page.locator("#id_sections-0-body")
    body.press("End")
    body.press_sequentially(" Only **two** stay open.")
    expect(page.locator("#sections-0 .markdownx-preview strong")).to_have_text("two")
    page.get_by_role("button", name="Add another Figure").click()
    page.locator("[name='figures-0-image']").set_input_files(chart_png)
    page.locator("[name='figures-0-alt_text']").fill("Map of Baltic ports closed by ice")
    page.locator("[name='figures-0-caption']").fill("Ports closed by ice in February.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # After saving, the preview of a stored section works as well.
    expect_live_preview(page.locator("#sections-2"), SECTIONS[2][2])
    stored = page.locator("#id_sections-2-body")
    stored.press("End")
    stored.press_sequentially(" *Who* decides?")
    expect(page.locator("#sections-2 .markdownx-preview em")).to_have_text("Who")

    # Now that the sections exist, the figure can follow the nested one.
    page.locator("[name='figures-0-section']").select_option(label="The pilots' view")
    # Publishing is a button (articles/publishing.py), not a status to pick.
    with page.expect_navigation():
        page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("is now published")

    page.goto("/articles/ports-of-the-frozen-baltic/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ports of the frozen Baltic")
    toc = page.get_by_role("navigation", name="Contents")
    top_level = toc.locator(":scope > ol > li > a")
    expect(top_level).to_have_text(["Harbours in winter", "Who pays for icebreakers"])
    expect(toc.locator(":scope > ol > li > ol > li > a")).to_have_text(["The pilots' view"])
    expect(page.locator("#harbours-in-winter strong")).to_have_text("two")

    figure = page.locator("#the-pilots-view figure")
    image = figure.locator("img")
    expect(image).to_have_attribute("alt", "Map of Baltic ports closed by ice")
    expect(image).to_have_attribute("width", "800")
    expect(image).to_have_attribute("height", "450")
    expect(figure.locator("figcaption")).to_have_text("Ports closed by ice in February.")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    # srcset scales naturalWidth to the 672 px column; the file the browser chose
    # for it is the 800 px original that the figure links to (issue 8).
    assert image.evaluate("img => img.currentSrc === img.closest('a').href")

    tags = page.get_by_role("list", name="Tags")
    expect(tags.get_by_role("link")).to_have_text(["Baltic", "Shipping"])
    expect(page.get_by_role("link", name="Mara Lindqvist").first).to_be_visible()
