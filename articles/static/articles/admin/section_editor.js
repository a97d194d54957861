// The article editor's sections and figures (issue 9). Everything here is an
// enhancement: without scripts the form still saves, sections keep their
// stored order and a new one goes at the end (adminsortable2's formset).
//
// - Order: adminsortable2 drags sections by their title bar (rows added here
//   too). Every row gets "Move up" / "Move down" buttons for the keyboard, and
//   after any change the hidden position inputs are renumbered in page order.
// - Long articles: "Collapse"/"Expand" on each row, "Collapse all"/"Expand
//   all", and a jump list of headings above the first row.
// - Figures: each row's "Section" select lists the sections on the page, new
//   ones as "new:<key>" (articles/forms.py), so a figure can be placed in a
//   section that is not saved yet.
"use strict";
(function () {
  const SECTIONS = "sections";
  const FIGURES = "figures";

  function group() {
    return document.getElementById(`${SECTIONS}-group`);
  }

  function sectionRows() {
    const container = group();
    if (!container) {
      return [];
    }
    return Array.from(container.querySelectorAll(".inline-related")).filter(
      (row) => row.id !== `${SECTIONS}-empty` && !row.classList.contains("empty-form"),
    );
  }

  function field(row, name) {
    return row.querySelector(`[name$="-${name}"]`);
  }

  function isDeleted(row) {
    const box = field(row, "DELETE");
    return Boolean(box && box.checked);
  }

  function headingOf(row, index) {
    const input = field(row, "heading");
    const text = input ? input.value.trim() : "";
    return text || `Untitled section ${index + 1}`;
  }

  function isSubsection(row) {
    const level = field(row, "level");
    return Boolean(level && level.value === "3");
  }

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    return `k${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
  }

  function announce(message) {
    const status = document.getElementById("section-editor-status");
    if (status) {
      status.textContent = message;
    }
  }

  function button(label, className, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `section-tool ${className}`;
    element.textContent = label;
    element.addEventListener("click", onClick);
    return element;
  }

  function setCollapsed(row, collapsed) {
    row.classList.toggle("is-collapsed", collapsed);
    const toggle = row.querySelector(".section-toggle");
    if (toggle) {
      toggle.textContent = collapsed ? "Expand" : "Collapse";
      toggle.setAttribute("aria-expanded", String(!collapsed));
    }
  }

  function move(row, step) {
    const rows = sectionRows();
    const index = rows.indexOf(row);
    const target = rows[index + step];
    if (!target) {
      announce(`“${headingOf(row, index)}” is already ${step < 0 ? "first" : "last"}.`);
      return;
    }
    if (step < 0) {
      target.before(row);
    } else {
      target.after(row);
    }
    refresh();
    announce(`Moved “${headingOf(row, index + step)}” to position ${index + step + 1} of ${rows.length}.`);
  }

  function equip(row) {
    const key = field(row, "key");
    if (key && !key.value) {
      key.value = newKey();
    }
    if (row.dataset.sectionEditor) {
      return;
    }
    row.dataset.sectionEditor = "ready";
    const title = row.querySelector("h3");
    if (!title) {
      return;
    }
    const tools = document.createElement("span");
    tools.className = "section-tools";
    const up = button("Move up", "section-up", (event) => {
      move(row, -1);
      event.currentTarget.focus();
    });
    const down = button("Move down", "section-down", (event) => {
      move(row, 1);
      event.currentTarget.focus();
    });
    const toggle = button("Collapse", "section-toggle", () => {
      setCollapsed(row, !row.classList.contains("is-collapsed"));
    });
    toggle.setAttribute("aria-expanded", "true");
    tools.append(up, down, toggle);
    title.append(tools);
  }

  function renumber() {
    sectionRows().forEach((row, index) => {
      const position = field(row, "position");
      if (position) {
        position.value = String(index + 1);
      }
    });
  }

  function updateTitles(rows) {
    rows.forEach((row, index) => {
      const title = row.querySelector("h3");
      let label = title && title.querySelector(".section-current-heading");
      if (title && !label) {
        label = document.createElement("span");
        label.className = "section-current-heading";
        title.querySelector("b")?.after(label);
      }
      if (label) {
        label.textContent = ` ${index + 1}. ${headingOf(row, index)}`;
      }
    });
  }

  function updateJumpList(rows) {
    const list = document.querySelector("#section-jump-list ol");
    if (!list) {
      return;
    }
    list.replaceChildren(
      ...rows.map((row, index) => {
        const item = document.createElement("li");
        if (isSubsection(row)) {
          item.className = "is-subsection";
        }
        if (isDeleted(row)) {
          item.classList.add("is-deleted");
        }
        const link = document.createElement("a");
        link.href = `#${row.id}`;
        link.textContent = headingOf(row, index);
        link.addEventListener("click", () => setCollapsed(row, false));
        item.append(link);
        return item;
      }),
    );
  }

  function sectionOptions(rows) {
    const options = [["", "After the last section"]];
    rows.forEach((row, index) => {
      if (isDeleted(row)) {
        return;
      }
      const id = field(row, "id");
      const key = field(row, "key");
      const value = id && id.value ? id.value : key && key.value ? `new:${key.value}` : "";
      if (value) {
        options.push([value, headingOf(row, index)]);
      }
    });
    return options;
  }

  function updateFigureSelects(rows) {
    const options = sectionOptions(rows);
    document
      .querySelectorAll(`#${FIGURES}-group select[name^="${FIGURES}-"][name$="-section"]`)
      .forEach((select) => {
        const wanted = select.value || select.dataset.value || "";
        select.replaceChildren(
          ...options.map(([value, label]) => {
            const option = document.createElement("option");
            option.value = value;
            option.textContent = label;
            return option;
          }),
        );
        select.value = options.some(([value]) => value === wanted) ? wanted : "";
        select.dataset.value = select.value;
      });
  }

  function refresh() {
    const rows = sectionRows();
    rows.forEach(equip);
    renumber();
    updateTitles(rows);
    updateJumpList(rows);
    updateFigureSelects(rows);
  }

  let pending = null;
  function refreshSoon() {
    window.clearTimeout(pending);
    pending = window.setTimeout(refresh, 30);
  }

  function buildToolbar(container) {
    const bar = document.createElement("div");
    bar.className = "section-editor-bar";
    const nav = document.createElement("nav");
    nav.id = "section-jump-list";
    nav.setAttribute("aria-label", "Jump to a section");
    const heading = document.createElement("p");
    heading.className = "section-jump-heading";
    heading.textContent = "Jump to a section";
    nav.append(heading, document.createElement("ol"));
    const collapseAll = button("Collapse all", "section-collapse-all", () => {
      sectionRows().forEach((row) => setCollapsed(row, true));
      announce("All sections collapsed.");
    });
    const expandAll = button("Expand all", "section-expand-all", () => {
      sectionRows().forEach((row) => setCollapsed(row, false));
      announce("All sections expanded.");
    });
    const status = document.createElement("p");
    status.id = "section-editor-status";
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    const actions = document.createElement("div");
    actions.className = "section-editor-actions";
    actions.append(collapseAll, expandAll);
    bar.append(actions, nav, status);
    const heading2 = container.querySelector("h2");
    (heading2 || container.firstElementChild).after(bar);
  }

  function start() {
    const container = group();
    if (!container) {
      return;
    }
    buildToolbar(container.querySelector("fieldset") || container);
    refresh();
    container.addEventListener("input", (event) => {
      if (event.target.matches('[name$="-heading"]')) {
        refreshSoon();
      }
    });
    container.addEventListener("change", (event) => {
      if (event.target.matches('[name$="-level"], [name$="-DELETE"]')) {
        refreshSoon();
      }
    });
    // Rows added, removed or dragged (adminsortable2 renumbers only stored rows
    // when a drag ends; renumbering after it keeps new rows in their place).
    new MutationObserver(refreshSoon).observe(container.querySelector("fieldset") || container, {
      childList: true,
    });
    document.addEventListener("dragend", refreshSoon);
    document.addEventListener("drop", refreshSoon);
    document.addEventListener("formset:added", (event) => {
      // adminsortable2 drags ".inline-related.has_original" rows: let a new
      // section be dragged like a stored one (Django reads the class only when
      // it starts, to give server-rendered new rows their "Remove" link).
      if (event.detail && event.detail.formsetName === SECTIONS) {
        event.target.classList.add("has_original");
      }
      refreshSoon();
    });
    document.addEventListener("formset:removed", refreshSoon);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
