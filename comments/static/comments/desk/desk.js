/* Keyboard shortcuts for the moderation desk (templates/comments/desk/queue.html).
   Every shortcut presses a button that also works without this script. */
(function () {
  "use strict";
  var REASON_KEYS = "123456789";
  var rejecting = null;
  /* The card the page focused by itself on arrival: the first j stays on it, so a
     moderator who presses j "to start" begins at the first card, not the second. */
  var arrivedAt = null;

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll(".desk-card"));
  }

  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest(".desk-card") : null;
  }

  function move(step) {
    var all = cards();
    if (!all.length) return;
    var here = current();
    var index = all.indexOf(here);
    var starting = index < 0 || (step > 0 && here === arrivedAt);
    arrivedAt = null;
    var next = starting ? Math.max(index, 0) : Math.min(Math.max(index + step, 0), all.length - 1);
    all[next].focus();
    all[next].scrollIntoView({ block: "nearest" });
  }

  function submit(card, key) {
    var form = card.querySelector("form[data-key='" + key + "']");
    if (form) form.requestSubmit();
  }

  function startReject(card) {
    rejecting = card;
    card.classList.add("choosing-reason");
    var hint = card.querySelector(".desk-reject select");
    if (hint) hint.setAttribute("aria-description", "Press a number for the reason, Escape to cancel");
  }

  function stopReject() {
    if (rejecting) rejecting.classList.remove("choosing-reason");
    rejecting = null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.matches && target.matches("input[type=text], input[type=search], textarea, select")) {
      if (event.key === "Enter" && target.matches(".desk-reject select") && target.value) {
        event.preventDefault();
        target.form.requestSubmit();
      }
      return;
    }
    var card = current();
    if (rejecting) {
      var position = REASON_KEYS.indexOf(event.key);
      var select = rejecting.querySelector(".desk-reject select");
      if (position >= 0 && select && position + 1 < select.options.length) {
        event.preventDefault();
        select.selectedIndex = position + 1;
        var form = select.form;
        stopReject();
        form.requestSubmit();
      } else if (event.key === "Escape") {
        stopReject();
      }
      return;
    }
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": if (card) submit(card, "a"); break;
      case "s": if (card) submit(card, "s"); break;
      case "f": if (card) submit(card, "f"); break;
      case "r": if (card) startReject(card); break;
      case "x":
        if (card) {
          var box = card.querySelector("input[type=checkbox]");
          box.checked = !box.checked;
        }
        break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("mousedown", function () { arrivedAt = null; });

  /* After a decision the page comes back at #card-<next>: start there. */
  document.addEventListener("DOMContentLoaded", function () {
    var anchored = location.hash && document.getElementById(location.hash.slice(1));
    if (anchored && anchored.classList.contains("desk-card")) {
      anchored.focus();
    } else if (cards().length) {
      arrivedAt = cards()[0];
      arrivedAt.focus({ preventScroll: true });
    }
  });
})();
