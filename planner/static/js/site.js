// Behaviour every page shares, attached by data attributes so the Content-Security-Policy can
// forbid inline scripts and style attributes.
(function () {
  "use strict";
  // <select data-autosubmit>: choosing an option submits its form (filters, pickers).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) { field.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { window.print(); }
  });
  // A form submits once: its submit buttons are disabled after the first submit, so a double
  // click sends one request (the server answers a second one like the first anyway).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.hasAttribute("data-allow-resubmit")) { return; }
    var buttons = form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
    window.setTimeout(function () {
      buttons.forEach(function (button) { if (!button.disabled) { button.setAttribute("data-was-enabled", ""); button.disabled = true; } });
    }, 0);
    // A form that answers with a download leaves the page as it was: let it be used again.
    window.setTimeout(function () {
      buttons.forEach(function (button) { if (button.hasAttribute("data-was-enabled")) { button.disabled = false; } });
    }, 8000);
  });
  // Back to a page from the browser's cache: its buttons work again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form button[disabled][data-was-enabled], form input[disabled][data-was-enabled]").forEach(function (button) {
      button.disabled = false;
    });
  });
  // <span data-width="42">: a bar's length in percent (style attributes are not allowed).
  document.querySelectorAll("[data-width]").forEach(function (bar) {
    bar.style.inlineSize = Math.max(0, Math.min(100, Number(bar.getAttribute("data-width")) || 0)) + "%";
  });
})();
