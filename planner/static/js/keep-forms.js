/* A language switch keeps what was typed. Switching the language reloads the page, which would
   lose every unsaved entry; so when the switch is used, the forms with unsaved entries (or with
   the server's error marks: typed, refused, not saved) are stashed in sessionStorage and put
   back into the same page in the new language. Values are carried over in the new language's
   script: digits of number fields (Persian in fa, ASCII otherwise, with the decimal mark), and
   dates between the Persian page's Jalali field and the browser's Gregorian date input
   (vendored jalaali-js). Passwords, files and the CSRF token are never stored. */
(function () {
  "use strict";
  var KEY = "karvan.kept-forms";
  var MAX_AGE_MS = 10 * 60 * 1000;
  var SKIPPED = { password: 1, file: 1, submit: 1, button: 1, reset: 1, image: 1 };
  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹", ARABIC = "٠١٢٣٤٥٦٧٨٩";

  function ascii(text) {
    return text.replace(/[۰-۹]/g, function (d) { return PERSIAN.indexOf(d); })
               .replace(/[٠-٩]/g, function (d) { return ARABIC.indexOf(d); });
  }
  function persian(text) { return text.replace(/[0-9]/g, function (d) { return PERSIAN[d]; }); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function formKey(form) {
    var action = form.getAttribute("action") || "";
    var same = Array.prototype.filter.call(document.forms, function (f) { return (f.getAttribute("action") || "") === action; });
    return action + "#" + same.indexOf(form);
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && el.name !== "next" && !SKIPPED[el.type] && !el.disabled &&
             (el.type !== "hidden" || el.hasAttribute("data-keep"));
    });
  }

  function dirty(el) {
    if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
    if (el.tagName === "SELECT") {
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return el.value !== el.defaultValue;
  }

  function record(el, position) {
    var item = { name: el.name, position: position };
    if (el.type === "checkbox" || el.type === "radio") { item.value = el.value; item.checked = el.checked; }
    else if (el.tagName === "SELECT") {
      item.values = Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
    } else { item.value = el.value; }
    return item;
  }

  function stash() {
    var kept = {};
    Array.prototype.forEach.call(document.forms, function (form) {
      if (form.classList.contains("lang-switch") || form.hasAttribute("data-no-keep")) { return; }
      var list = fields(form);
      var refused = form.querySelector(".has-error, [aria-invalid=true]");
      if (!list.length || !(refused || list.some(dirty))) { return; }
      var seen = {};
      kept[formKey(form)] = list.map(function (el) {
        var position = seen[el.name] = (seen[el.name] === undefined ? 0 : seen[el.name] + 1);
        return record(el, position);
      });
    });
    try {
      if (Object.keys(kept).length) {
        window.sessionStorage.setItem(KEY, JSON.stringify({ path: window.location.pathname, at: Date.now(), forms: kept }));
      } else { window.sessionStorage.removeItem(KEY); }
    } catch (e) { /* storage full or forbidden: the switch still works */ }
  }

  // A typed date in the calendar the target field takes: Jalali text (fa) or ISO (date input).
  function dateFor(el, value) {
    var parts = ascii(value).trim().match(/^(\d{1,4})\s*[\/\-.]\s*(\d{1,2})\s*[\/\-.]\s*(\d{1,4})$/);
    if (!parts || !window.jalaali) { return value; }
    var a = +parts[1], b = +parts[2], c = +parts[3];
    if (parts[3].length === 4) { var t = a; a = c; c = t; }  // 08.11.2026
    var jalaliIn = a < 1700;
    if (el.hasAttribute("data-jdp")) {
      var j = jalaliIn ? { jy: a, jm: b, jd: c } : window.jalaali.toJalaali(a, b, c);
      return persian(j.jy + "/" + pad(j.jm) + "/" + pad(j.jd));
    }
    if (el.type === "date") {
      var g = jalaliIn ? window.jalaali.toGregorian(a, b, c) : { gy: a, gm: b, gd: c };
      return g.gy + "-" + pad(g.gm) + "-" + pad(g.gd);
    }
    return value;
  }

  function numberFor(el, value) {
    var lang = document.documentElement.lang;
    var text = ascii(value);
    if (el.getAttribute("inputmode") === "decimal") {
      text = text.replace(/[.,٫]/, lang === "fa" ? "٫" : lang === "ru" ? "," : ".");
    }
    return lang === "fa" ? persian(text) : text;
  }

  function convert(el, value) {
    if (typeof value !== "string" || !value) { return value; }
    if (el.hasAttribute("data-jdp") || el.type === "date") { return dateFor(el, value); }
    var mode = el.getAttribute("inputmode");
    if ((mode === "numeric" || mode === "decimal") && /^[\s\d۰-۹٠-٩.,٫:+\-]+$/.test(value)) { return numberFor(el, value); }
    return value;
  }

  function put(el, item) {
    if (el.type === "checkbox" || el.type === "radio") {
      if (el.value === item.value) { el.checked = item.checked; }
    } else if (el.tagName === "SELECT") {
      Array.prototype.forEach.call(el.options, function (o) { o.selected = item.values.indexOf(o.value) >= 0; });
    } else { el.value = convert(el, item.value); }
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(window.sessionStorage.getItem(KEY) || "null"); } catch (e) { saved = null; }
    if (!saved) { return; }
    window.sessionStorage.removeItem(KEY);
    if (saved.path !== window.location.pathname || Date.now() - saved.at > MAX_AGE_MS) { return; }
    Array.prototype.forEach.call(document.forms, function (form) {
      var items = saved.forms[formKey(form)];
      if (!items) { return; }
      var list = fields(form);
      items.forEach(function (item) {
        var named = list.filter(function (el) { return el.name === item.name; });
        if (named.length && (named[0].type === "checkbox" || named[0].type === "radio")) {
          named.forEach(function (el) { put(el, item); });  // one record per box: its own value decides
        } else if (named[item.position]) { put(named[item.position], item); }
      });
      form.setAttribute("data-kept", "");
    });
  }

  document.addEventListener("submit", function (event) {
    if (event.target.classList && event.target.classList.contains("lang-switch")) { stash(); }
  }, true);
  document.addEventListener("DOMContentLoaded", restore);
})();
