/* Live readability panel of the summary editor: progressive enhancement only.
   Without this script the panel is computed by the server when the draft is saved or checked. */
(function () {
  "use strict";
  var DELAY = 700;

  function csrfToken(field) {
    var form = field.form;
    var input = form && form.querySelector("input[name='csrf_token']");
    return input ? input.value : "";
  }

  function watch(panel) {
    var field = document.getElementById(panel.getAttribute("data-source"));
    if (!field || !window.fetch) {
      return;
    }
    var timer = null;
    var sent = 0;
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var number = ++sent;
        window.fetch(panel.getAttribute("data-url"), {
          method: "POST",
          credentials: "same-origin",
          headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(field)},
          body: JSON.stringify({language: panel.getAttribute("data-language"), text: field.value})
        }).then(function (response) {
          return response.ok ? response.json() : null;
        }).then(function (data) {
          if (data && data.html && number === sent) {
            panel.innerHTML = data.html;
          }
        }).catch(function () { /* the server-side panel stays */ });
      }, DELAY);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panels = document.querySelectorAll(".readability-panel[data-source]");
    for (var i = 0; i < panels.length; i++) {
      watch(panels[i]);
    }
  });
})();
