// Removing a passage (templates/moderation/redact.html): a passage selected in the current
// text is added, on a line of its own, to the passages to remove. Progressive enhancement only:
// without it, the moderator types or pastes the passage, and the server finds it the same way.
(function () {
  "use strict";

  function selectedIn(source) {
    var selection = window.getSelection ? window.getSelection() : null;
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
      return "";
    }
    var range = selection.getRangeAt(0);
    if (!source.contains(range.startContainer) || !source.contains(range.endContainer)) {
      return "";
    }
    // One line per passage: a selection across lines becomes one line (spaces match any
    // run of white space on the server).
    return selection.toString().replace(/\s+/g, " ").trim();
  }

  function attach(source) {
    var field = document.getElementById(source.getAttribute("data-passages"));
    if (!field) {
      return;
    }
    var hint = document.getElementById("redaction-selection-hint");
    if (hint) {
      hint.hidden = false;
    }
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    source.insertAdjacentElement("afterend", status);

    function take() {
      var passage = selectedIn(source);
      if (!passage) {
        return;
      }
      var lines = field.value.split(/\r?\n/).map(function (line) { return line.trim(); });
      if (lines.indexOf(passage) === -1) {
        var kept = field.value.replace(/\s+$/, "");
        field.value = kept ? kept + "\n" + passage : passage;
        field.dispatchEvent(new Event("input", {bubbles: true}));
      }
      status.textContent = source.getAttribute("data-added").replace("{passage}", passage);
    }

    source.addEventListener("mouseup", take);
    source.addEventListener("touchend", take);
    source.addEventListener("keyup", take);
  }

  var source = document.getElementById("redaction-source");
  if (source) {
    attach(source);
  }
})();
