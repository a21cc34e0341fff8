// "Select all on this page" on the themes page of a consultation (progressive enhancement:
// without it, a link opens the page again with every box ticked). A checkbox, so that the
// keyboard and screen readers handle it like the boxes it ticks; it shows "mixed" when only
// some are ticked.
(function () {
  "use strict";
  var group = document.querySelector("fieldset[data-select-all]");
  if (!group) {
    return;
  }
  var boxes = Array.prototype.slice.call(
    group.querySelectorAll('input[type="checkbox"][name="bulk-contributions"]'));
  var fallback = group.querySelector(".select-all-fallback");
  if (!boxes.length || !fallback) {
    return;
  }
  var field = document.createElement("div");
  field.className = "field checkbox";
  var all = document.createElement("input");
  all.type = "checkbox";
  all.id = "select-all-on-page";
  var label = document.createElement("label");
  label.htmlFor = all.id;
  label.textContent = group.getAttribute("data-select-all");
  field.appendChild(all);
  field.appendChild(label);
  fallback.parentNode.replaceChild(field, fallback);

  function update() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }

  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
    all.indeterminate = false;
  });
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();
