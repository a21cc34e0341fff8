// Confirmation before what cannot be undone (engage/core/confirm.py). A submit button with
// data-confirm="<dialog id>" opens that dialog (templates/_macros/confirm.html) instead of
// posting; "Confirm" posts the form, through the same button, with confirmed=1; "Cancel" and
// Escape close it and give the focus back to the button. Progressive enhancement: without
// this script, or without <dialog>, the form posts without `confirmed` and the server answers
// a confirmation page with the same statement.
(function () {
  "use strict";
  if (typeof HTMLDialogElement !== "function") {
    return;
  }
  var FIELD = "confirmed"; // engage.core.confirm.FIELD
  var language = document.documentElement.lang || "fr";
  var numbers = new Intl.NumberFormat(language);
  var plurals = typeof Intl.PluralRules === "function" ? new Intl.PluralRules(language) : null;
  var passing = null; // the form being posted once confirmed: let its submission through

  // data-confirm-if-field / -value: only that value of that field needs confirming.
  function wanted(form, button) {
    var field = button.getAttribute("data-confirm-if-field");
    if (!field) {
      return true;
    }
    var control = form.elements.namedItem(field);
    return control !== null && control.value === button.getAttribute("data-confirm-if-value");
  }

  // A sentence with a number: the checked boxes of its field, written in the sentence of the
  // number's plural category (the page language's rule). Null when the dialog counts nothing.
  function count(dialog, form) {
    var sentence = dialog.querySelector("[data-confirm-count]");
    if (!sentence) {
      return null;
    }
    var name = sentence.getAttribute("data-confirm-count");
    var number = 0;
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.name === name && element.checked) {
        number += 1;
      }
    });
    var category = plurals ? plurals.select(number) : (number === 1 ? "one" : "other");
    var text = sentence.getAttribute("data-confirm-" + category)
      || sentence.getAttribute("data-confirm-other");
    sentence.textContent = text.replace("{count}", numbers.format(number));
    return number;
  }

  function post(form, button) {
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = FIELD;
    field.value = "1";
    form.appendChild(field);
    passing = form;
    try {
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit(button);
      } else {
        if (button.name) {
          var pressed = document.createElement("input");
          pressed.type = "hidden";
          pressed.name = button.name;
          pressed.value = button.value;
          form.appendChild(pressed);
        }
        form.submit();
      }
    } finally {
      // The form's data is read as it is submitted: a page brought back by "Back" must ask
      // again.
      passing = null;
      form.removeChild(field);
    }
  }

  function open(dialog, form, button) {
    var accept = dialog.querySelector("[data-confirm-accept]");
    var cancel = dialog.querySelector("[data-confirm-cancel]");

    function onAccept() {
      dialog.close("confirm");
    }
    function onCancel() {
      dialog.close("cancel");
    }
    function onClose() {
      accept.removeEventListener("click", onAccept);
      cancel.removeEventListener("click", onCancel);
      dialog.removeEventListener("close", onClose);
      if (dialog.returnValue === "confirm") {
        post(form, button);
      } else {
        button.focus();
      }
    }

    accept.addEventListener("click", onAccept);
    cancel.addEventListener("click", onCancel);
    dialog.addEventListener("close", onClose); // Escape closes it too, as a cancel
    dialog.returnValue = "";
    dialog.showModal();
    // The focus goes to the choice that changes nothing.
    cancel.focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form === passing) {
      return;
    }
    var button = event.submitter;
    if (!button || !button.hasAttribute("data-confirm")) {
      return;
    }
    var dialog = document.getElementById(button.getAttribute("data-confirm"));
    if (!dialog || typeof dialog.showModal !== "function" || !wanted(form, button)) {
      return;
    }
    // A form the server will refuse (a required field left empty, nothing selected) goes
    // unconfirmed: it comes back with its errors, and nothing is done.
    if (!form.checkValidity() || count(dialog, form) === 0) {
      return;
    }
    event.preventDefault();
    open(dialog, form, button);
  });
})();
