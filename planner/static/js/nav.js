// The navigation is one line or a menu. Loaded (blocking, tiny) in <head> so a phone gets the
// folded menu before the first paint; on wider screens the line is measured once the page is
// parsed and on every resize, and folds when its links do not fit (karvan.css, .nav-compact).
(function () {
  "use strict";
  var root = document.documentElement;
  var narrow = window.matchMedia("(max-width: 760px)");
  if (narrow.matches) root.classList.add("nav-compact");

  function fit(nav) {
    if (narrow.matches) { root.classList.add("nav-compact"); return; }
    root.classList.remove("nav-compact");
    nav.classList.remove("open");
    // One line: every item is as high as the brand's line and nothing overflows.
    var overflowing = nav.scrollWidth > nav.clientWidth + 1;
    var top = nav.querySelector(".brand").offsetTop;
    // the language switch is a form (it posts the choice), the link groups are lists
    var wrapped = Array.prototype.some.call(nav.querySelectorAll(".nav-menu > ul, .nav-menu > form"), function (list) {
      return Math.abs(list.offsetTop - top) > 24 || list.offsetHeight > 48;
    });
    if (overflowing || wrapped) root.classList.add("nav-compact");
  }

  // Forms that delete ask first (data-confirm holds the translated question).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    var nav = document.querySelector(".nav");
    var toggle = nav && nav.querySelector(".nav-toggle");
    if (!toggle) return;
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    fit(nav);
    // Vazirmatn arrives after the first measure and its words are wider: measure again.
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(function () { fit(nav); });
    window.addEventListener("load", function () { fit(nav); });
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(function () { fit(nav); });
    });
  });
})();
