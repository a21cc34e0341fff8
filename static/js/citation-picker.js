/* The summary editor's citation picker (templates/summaries/_citation_picker.html):
   progressive enhancement only. Without this script "Insert [#123]" sends the editor's form,
   which adds the citation at the end of the chosen text and comes back with the text kept.
   With it:
   - "Insert [#123]" puts the citation at the cursor of the chosen text, gives the focus back
     to that text and says so politely (a status message);
   - writing in a text makes it the one to insert into;
   - "Cited" and "only those not cited yet" follow the text as it is written. */
(function () {
  "use strict";
  var CITATION = /\[#(\d{1,9})\](?!\()/g;

  function citedIn(text) {
    var found = {};
    text.replace(CITATION, function (match, number) {
      found[number] = true;
      return match;
    });
    return found;
  }

  function setUp(picker) {
    var choices = picker.querySelectorAll("input[name='into']");
    var status = picker.querySelector("[data-citation-status]");
    var uncited = picker.querySelector("input[name='uncited']");
    var placed = {};  // the texts that had the focus: their cursor is where to insert

    function choice() {
      for (var i = 0; i < choices.length; i++) {
        if (choices[i].type === "hidden" || choices[i].checked) {
          return choices[i];
        }
      }
      return null;
    }

    function fieldOf(input) {
      return input ? document.getElementById(input.getAttribute("data-target")) : null;
    }

    function refresh() {
      var field = fieldOf(choice());
      if (!field) {
        return;
      }
      var cited = citedIn(field.value);
      var items = picker.querySelectorAll("[data-citation-item]");
      for (var i = 0; i < items.length; i++) {
        var isCited = cited[items[i].getAttribute("data-citation-item")] === true;
        var badge = items[i].querySelector("[data-citation-cited]");
        if (badge) {
          badge.hidden = !isCited;
        }
        items[i].hidden = isCited && uncited !== null && uncited.checked;
      }
    }

    function announce(message) {
      if (!status) {
        return;
      }
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 100);
    }

    function insert(button) {
      var input = choice();
      var field = fieldOf(input);
      if (!field) {
        return false;
      }
      var value = field.value;
      var start = placed[field.id] ? field.selectionStart : value.length;
      var end = placed[field.id] ? field.selectionEnd : value.length;
      var citation = "[#" + button.value + "]";
      if (start > 0 && !/\s/.test(value.charAt(start - 1))) {
        citation = " " + citation;
      }
      field.focus();
      field.setRangeText(citation, start, end, "end");
      // The readability panel and the character count follow the text.
      field.dispatchEvent(new Event("input", {bubbles: true}));
      announce(input.getAttribute("data-inserted").replace("{id}", button.value));
      return true;
    }

    for (var i = 0; i < choices.length; i++) {
      var field = fieldOf(choices[i]);
      if (!field) {
        continue;
      }
      field.addEventListener("focus", function (event) {
        placed[event.target.id] = true;
        for (var j = 0; j < choices.length; j++) {
          if (choices[j].getAttribute("data-target") === event.target.id) {
            choices[j].checked = true;
          }
        }
        refresh();
      });
      field.addEventListener("input", refresh);
      choices[i].addEventListener("change", refresh);
    }
    if (uncited) {
      uncited.addEventListener("change", refresh);
    }
    picker.addEventListener("click", function (event) {
      var button = event.target.closest("button[name='insert']");
      if (button && insert(button)) {
        event.preventDefault();
      }
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var pickers = document.querySelectorAll("[data-citation-picker]");
    for (var i = 0; i < pickers.length; i++) {
      setUp(pickers[i]);
    }
  });
})();
