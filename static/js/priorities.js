/* Research priorities, progressive enhancement only: the ranking form works without it.
   After a button of the ranking form reloads the page, put the keyboard focus back on the
   same button (or on the moved question's position), so that keyboard and screen reader
   users keep their place. */
(function () {
  "use strict";
  var KEY = "engage-priorities-last-action";
  var form = document.getElementById("ranking-form");
  if (!form || !window.sessionStorage) {
    return;
  }
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.name === "action") {
      try { sessionStorage.setItem(KEY, button.value); } catch (e) { /* storage refused */ }
    }
  });
  var last = null;
  try {
    last = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
  } catch (e) {
    return;
  }
  var error = document.getElementById("error-summary");
  if (error) {
    window.addEventListener("load", function () {
      error.focus();
    });
    return;
  }
  if (!last) {
    return;
  }
  var target = form.querySelector('button[name="action"][value="' + CSS.escape(last) + '"]');
  if (!target) {
    var id = last.split("-")[1];
    target = id ? document.getElementById("position-" + id) : null;
  }
  if (!target) {
    target = document.getElementById("my-ranking");
  }
  if (target) {
    // After "load": the browser's jump to the URL fragment would otherwise take the focus.
    window.addEventListener("load", function () {
      target.focus();
    });
  }
}());
