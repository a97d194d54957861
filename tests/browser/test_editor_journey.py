"""Journey 1: an editor writes an article in the admin and publishes it."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

from .axe import _axe, assert_no_blocking_violations, describe
from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    # Keep the groups that the data migrations create (flushed otherwise).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SECTIONS = [
    # (heading, level label, first line, footnotes): written in this order, the
    # first is then dragged to the end.
    (
        "Who pays for icebreakers",
        "Section",
        "Budgets decide which lanes stay open.[^1]",
        "[^1]: Coastguard budget, 2024.",
    ),
    (
        "Harbours in winter",
        "Section",
        "Ice closes the northern ports for weeks.[^ice] Pilots agree.[^pilots]",
        "[^ice]: Port authority notices.\n[^pilots]: Interviews in Oulu.",
    ),
    ("The pilots' view", "Subsection", "Pilots read the ice before the charts do.", ""),
]


@pytest.fixture
def chart_png(tmp_path):
    path = tmp_path / "baltic-ports.png"
    Image.new("RGB", (800, 450), "steelblue").save(path)
    return path


def add_section(page, index, heading, level, text, notes):
    page.get_by_role("button", name="Add another Section").click()
    form = page.locator(f"#sections-{index}")
    form.get_by_label("Level").select_option(label=next_level_label(page, form, level))
    form.get_by_label("Heading").fill(heading)
    form.get_by_label("Body").fill(f"{text}\n\n{notes}" if notes else text)
    expect_live_preview(form, re.sub(r"\[\^\w+\]", "", text.split(".")[0]))


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
    # The open dropdown's own search box: the places' multi-selects keep one inline each.
    page.locator(".select2-dropdown .select2-search__field").fill(name.split()[0])
    page.get_by_role("option", name=name).click()


def box(locator):
    return locator.bounding_box()


def section_order(page):
    return page.locator("#sections-group .inline-related:not(.empty-form)").evaluate_all(
        "rows => rows.map(row => row.querySelector('[name$=\"-heading\"]').value)"
    )


POSITIONS = """[...document.querySelectorAll('#sections-group .inline-related:not(.empty-form)')]
    .map(row => row.querySelector('[name$="-position"]').value)"""


def test_editor_writes_and_publishes_an_article(page, editor, chart_png):
    AuthorFactory(name="Mara Lindqvist", slug="mara-lindqvist")
    log_in(page, editor)

    page.goto("/admin/articles/article/add/")
    page.get_by_label("Title").press_sequentially("Ports of the frozen Baltic")
    expect(page.get_by_label("Slug")).to_have_value("ports-of-the-frozen-baltic")
    page.get_by_label("Standfirst").fill("Which harbours stay open when the sea freezes.")
    choose_author(page, "Mara Lindqvist")
    page.get_by_label("Tags").fill("Baltic, Shipping")
    # What it is about: a country found by typing part of its name (places/).
    page.locator(".field-countries .select2-search__field").fill("Finl")
    page.get_by_role("option", name="Finland").click()
    for index, section in enumerate(SECTIONS):
        add_section(page, index, *section)
    # A new section goes at the end (section_editor.js renumbers after "Add another").
    page.wait_for_function(f"() => ({POSITIONS}).join() === '1,2,3'")

    # The live preview renders what the editor types, with the site's
    # renderer, in a row added with "Add another Section" too, and sits beside
    # the text on a 1,440 px screen.
    body = page.locator("#id_sections-1-body")
    body.press("Control+Home")
    body.press("End")
    body.press_sequentially(" Only **two** stay open.")
    preview = page.locator("#sections-1 .markdownx-preview")
    expect(preview.locator("strong")).to_have_text("two")
    text_box, preview_box = box(body), box(preview)
    assert preview_box["x"] >= text_box["x"] + text_box["width"]
    assert abs(preview_box["y"] - text_box["y"]) < 5
    assert text_box["height"] >= 300, "a roomy editor"

    # The jump list follows the headings; collapsed rows open from it.
    jump = page.get_by_role("navigation", name="Jump to a section")
    expect(jump.get_by_role("link")).to_have_text([heading for heading, *_ in SECTIONS])
    page.get_by_role("button", name="Collapse all").click()
    expect(page.locator("#id_sections-2-body")).to_be_hidden()
    jump.get_by_role("link", name="The pilots' view").click()
    expect(page.locator("#id_sections-2-body")).to_be_visible()
    expect(page.locator("#id_sections-0-body")).to_be_hidden()
    page.get_by_role("button", name="Expand all").click()

    # A figure goes into a section that is not saved yet.
    page.get_by_role("button", name="Add another Figure").click()
    page.locator("[name='figures-0-image']").set_input_files(chart_png)
    page.locator("[name='figures-0-alt_text']").fill("Map of Baltic ports closed by ice")
    page.locator("[name='figures-0-caption']").fill("Ports closed by ice in February.")
    page.locator("[name='figures-0-section']").select_option(label="The pilots' view")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    # The editor's own controls (Django's admin is not ours to judge here).
    for part in ("#sections-group", "#figures-group"):
        found = _axe.run(page, context=part).response["violations"]
        serious = [v for v in found if v["impact"] in {"serious", "critical"}]
        assert not serious, describe(serious)
    expect(page.locator("[name='figures-0-section'] option:checked")).to_have_text(
        "The pilots' view"
    )
    # The figure row, thumbnail and all, fits the screen.
    figures = page.locator("#figures-group")
    expect(figures.locator(".figure-thumbnail img")).to_be_visible()
    assert figures.evaluate("group => group.scrollWidth <= group.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    # After saving, the preview of a stored section works as well.
    expect_live_preview(page.locator("#sections-2"), "Pilots read the ice")
    stored = page.locator("#id_sections-2-body")
    stored.press("End")
    stored.press_sequentially(" *Who* decides?")
    expect(page.locator("#sections-2 .markdownx-preview em")).to_have_text("Who")

    # Drag "Who pays for icebreakers" by its title bar below the last section
    # (collapsed, the rows fit the screen).
    page.get_by_role("button", name="Collapse all").click()
    last_row = page.locator("#sections-2")
    page.locator("#sections-0 h3").drag_to(
        last_row,
        source_position={"x": 30, "y": 10},
        target_position={"x": 200, "y": box(last_row)["height"] - 5},
    )
    page.wait_for_function(
        """() => [...document.querySelectorAll('#sections-group .inline-related:not(.empty-form)')]
            .map(row => row.querySelector('[name$="-heading"]').value).at(-1)
            === 'Who pays for icebreakers'"""
    )
    assert section_order(page) == [
        "Harbours in winter",
        "The pilots' view",
        "Who pays for icebreakers",
    ]
    for index, position in enumerate(["3", "1", "2"]):
        expect(page.locator(f"#id_sections-{index}-position")).to_have_value(position)

    page.get_by_role("button", name="Expand all").click()

    # And by keyboard: "Move up" then "Move down" puts the subsection back.
    pilots = page.locator("#sections-2")
    move_up = pilots.get_by_role("button", name="Move up")
    move_up.focus()
    page.keyboard.press("Enter")
    assert section_order(page)[0] == "The pilots' view"
    expect(move_up).to_be_focused()
    expect(page.get_by_role("status")).to_contain_text("position 1 of 3")
    pilots.get_by_role("button", name="Move down").press("Space")
    assert section_order(page) == [
        "Harbours in winter",
        "The pilots' view",
        "Who pays for icebreakers",
    ]

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

    # Footnotes across two sections read 1, 2, 3, listed once under "Notes".
    expect(page.locator(".article__body sup.footnote-ref")).to_have_text(["1", "2", "3"])
    notes = page.get_by_role("region", name="Notes")
    expect(notes.locator("li")).to_have_text(
        [
            re.compile("^Port authority notices"),
            re.compile("^Interviews in Oulu"),
            re.compile("^Coastguard budget, 2024"),
        ]
    )
    expect(page.locator(".prose .footnote")).to_have_count(0)
    assert_no_blocking_violations(page)
    page.locator("#who-pays-for-icebreakers sup.footnote-ref a").click()
    expect(page).to_have_url(re.compile("#fn:3$"))
    notes.get_by_role("link", name="Back to the text of note 3").click()
    expect(page).to_have_url(re.compile("#fnref:3$"))

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

    # The country chosen above links to its page, which lists the article.
    page.goto("/articles/ports-of-the-frozen-baltic/")
    page.locator(".about-places").get_by_role("link", name="Finland").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finland")
    expect(page.get_by_role("link", name="Ports of the frozen Baltic")).to_be_visible()


def test_the_preview_sits_below_the_text_on_a_narrow_screen(new_page, editor):
    article = ArticleFactory(title="Narrow")
    SectionFactory(article=article, heading="Only", body="Some *text* to preview.")
    page = new_page(viewport={"width": 1000, "height": 900})
    log_in(page, editor)

    page.goto(f"/admin/articles/article/{article.pk}/change/")

    expect_live_preview(page.locator("#sections-0"), "to preview")
    text_box = box(page.locator("#id_sections-0-body"))
    preview_box = box(page.locator("#sections-0 .markdownx-preview"))
    assert preview_box["y"] >= text_box["y"] + text_box["height"]


def test_a_section_added_in_the_form_can_be_dragged_before_a_stored_one(page, editor):
    article = ArticleFactory(title="Drag new rows")
    SectionFactory(article=article, heading="Stored", body="Kept text.", position=1)
    log_in(page, editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    for index, heading in ((1, "New one"), (2, "New two")):
        page.get_by_role("button", name="Add another Section").click()
        form = page.locator(f"#sections-{index}")
        form.get_by_label("Heading").fill(heading)
        form.get_by_label("Body").fill(f"{heading} text.")
    page.get_by_role("button", name="Collapse all").click()

    first_row = page.locator("#sections-0")
    page.locator("#sections-2 h3").drag_to(
        first_row, source_position={"x": 30, "y": 10}, target_position={"x": 200, "y": 5}
    )
    page.wait_for_function(f"() => ({POSITIONS}).length === 3")
    expect(page.locator("#id_sections-2-position")).to_have_value("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert [s.heading for s in article.sections.all()] == ["New two", "Stored", "New one"]
