// django-markdownx starts its editors once, on page load. A section row added
// with "Add another Section" is a copy of the (already started) empty form, so
// it would have no live preview. On Django's formset:added event, mark the new
// row's editor as not started and run markdownx's loader again: it starts only
// editors that lack data-markdownx-init, so existing ones are untouched.
"use strict";
document.addEventListener("formset:added", (event) => {
  const editors = event.target.querySelectorAll(".markdownx-editor[data-markdownx-init]");
  if (!editors.length) {
    return;
  }
  editors.forEach((editor) => editor.removeAttribute("data-markdownx-init"));
  const loader = document.querySelector('script[src*="markdownx/js/markdownx"]');
  if (loader) {
    const again = document.createElement("script");
    again.src = loader.src;
    document.body.appendChild(again);
  }
});
