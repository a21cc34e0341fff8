// A live count under each text field with a limit (progressive enhancement: without it, the
// server refuses a text that is too long and says by how much; nothing is ever cut).
(function () {
  "use strict";
  var language = document.documentElement.lang || "fr";
  var numbers = new Intl.NumberFormat(language);
  // The page language's plural rule: "one" for 0 and 1 in French, for 1 only in English.
  var plurals = typeof Intl.PluralRules === "function" ? new Intl.PluralRules(language) : null;

  function singular(count) {
    return plurals ? plurals.select(count) === "one" : count === 1;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) {
      return numbers.format(values[name]);
    });
  }

  function attach(field) {
    var limit = parseInt(field.getAttribute("data-text-limit"), 10);
    var shown = document.createElement("p");
    shown.className = "hint text-count";
    shown.id = field.id + "-count";
    // Announced once typing pauses, not at every key.
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", status);
    field.insertAdjacentElement("afterend", shown);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + shown.id);
    var pause;

    function update(announce) {
      var count = field.value.replace(/\r\n/g, "\n").length;
      var over = count > limit;
      var template = over ? field.getAttribute("data-text-over")
        : (singular(count) && field.getAttribute("data-text-count-one"))
          || field.getAttribute("data-text-count");
      shown.textContent = fill(template, {count: count, max: limit, excess: count - limit});
      shown.classList.toggle("over-limit", over);
      if (announce) {
        clearTimeout(pause);
        pause = setTimeout(function () { status.textContent = shown.textContent; }, 1000);
      }
    }

    field.addEventListener("input", function () { update(true); });
    update(false);
  }

  document.querySelectorAll("[data-text-limit]").forEach(attach);
})();
