/* The header's menus, progressive enhancement only: they are <details> elements and open and
   close without this script. With it, Escape closes the open menu and puts the focus back on
   its button, and a click elsewhere closes the "Management" list. */
(function () {
  "use strict";
  var WIDE = "(min-width: 64rem)";

  function openMenus() {
    return Array.prototype.slice.call(document.querySelectorAll(".site-header details[open]"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var open = openMenus().filter(function (menu) { return menu.contains(event.target); });
    var menu = open[open.length - 1];  // the innermost
    if (!menu) {
      return;
    }
    menu.open = false;
    menu.querySelector("summary").focus();
  });

  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (menu.parentNode.classList.contains("nav-group") && !menu.contains(event.target)) {
        menu.open = false;
      }
    });
  });

  // Where the stylesheet cannot show a closed menu on a wide screen, open it there.
  var menu = document.querySelector(".site-menu");
  if (menu && window.CSS && !CSS.supports("selector(::details-content)") && window.matchMedia) {
    var wide = window.matchMedia(WIDE);
    var follow = function () { menu.open = wide.matches; };
    follow();
    if (wide.addEventListener) {
      wide.addEventListener("change", follow);
    }
  }
}());
