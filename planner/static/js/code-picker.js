/* Code picker: search-as-you-type over HS and ISIC codes (titles in fa, ru and en) through
   GET /api/v1/codes, and "add another" for repeated form rows. No framework, no build step. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-codes-url]");
  if (!form) { return; }
  var url = form.getAttribute("data-codes-url");
  var locale = form.getAttribute("data-locale") || "fa";
  var noResults = form.getAttribute("data-no-results") || "";
  var counter = 0;

  function kindOf(input) {
    if (input.dataset.kind) { return input.dataset.kind; }
    var row = input.closest("[data-row]");
    var select = row && row.querySelector("select.code-kind");
    return select ? select.value : "product";
  }

  function fetchCodes(query, kind) {
    var target = url + "?q=" + encodeURIComponent(query) + "&kind=" + encodeURIComponent(kind) + "&lang=" + locale;
    return fetch(target, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .catch(function () { return []; });
  }

  // Persian (۰-۹) and Arabic-Indic (٠-٩) digits as ASCII; the server does the same.
  function asciiDigits(text) {
    return text.replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); })
               .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); });
  }

  function titleBox(input) { return input.parentNode.querySelector(".code-title"); }

  function showTitle(input) {
    var box = titleBox(input);
    var value = asciiDigits(input.value.trim()).replace(/[\s.\-\u066B]/g, "");
    if (!box) { return; }
    if (!value) { box.textContent = ""; return; }
    fetchCodes(value, kindOf(input)).then(function (items) {
      var exact = items.filter(function (item) { return item.code === value; })[0];
      box.textContent = exact ? exact.title : "";
    });
  }

  function attach(input) {
    if (input.dataset.pickerReady) { return; }
    input.dataset.pickerReady = "1";
    var list = document.createElement("ul");
    list.className = "code-suggestions";
    list.setAttribute("role", "listbox");
    list.id = "code-suggestions-" + (++counter);
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.parentNode.insertBefore(list, input.nextSibling);
    var timer = null;
    var active = -1;
    var lastQuery = "";

    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }

    function choose(item) {
      input.value = item.code;
      var box = titleBox(input);
      if (box) { box.textContent = item.title; }
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function render(items) {
      list.innerHTML = "";
      active = -1;
      if (!items.length) {
        var empty = document.createElement("li");
        empty.className = "empty";
        empty.textContent = noResults;
        list.appendChild(empty);
      }
      items.forEach(function (item, index) {
        var option = document.createElement("li");
        option.setAttribute("role", "option");
        option.id = list.id + "-" + index;
        option.dataset.code = item.code;
        var code = document.createElement("span");
        code.className = "code";
        code.textContent = item.code;
        option.appendChild(code);
        option.appendChild(document.createTextNode(" " + item.title));
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
        option._item = item;
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function highlight(step) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      active = (active + step + options.length) % options.length;
      options.forEach(function (option, index) { option.classList.toggle("active", index === active); });
      input.setAttribute("aria-activedescendant", options[active].id);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2) { close(); return; }
      timer = setTimeout(function () {
        lastQuery = query;
        fetchCodes(query, kindOf(input)).then(function (items) {
          if (input.value.trim() === lastQuery) { render(items); }
        });
      }, 180);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(-1); }
      else if (event.key === "Enter") {
        var options = list.querySelectorAll("[role=option]");
        if (active >= 0 && options[active]) { event.preventDefault(); choose(options[active]._item); }
      } else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    if (input.value.trim()) { showTitle(input); }
  }

  function renumber(row, section, index) {
    var pattern = new RegExp("^" + section + "-\\d+-");
    row.querySelectorAll("[name], [id], label[for]").forEach(function (element) {
      ["name", "id", "for"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value && pattern.test(value)) {
          element.setAttribute(attribute, value.replace(pattern, section + "-" + index + "-"));
        }
      });
    });
  }

  function addRow(button) {
    var container = button.closest("[data-rows]");
    var section = container.getAttribute("data-rows");
    var rows = container.querySelectorAll("[data-row]");
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    renumber(copy, section, rows.length);
    copy.querySelectorAll("input, textarea").forEach(function (element) {
      if (element.type === "checkbox" || element.type === "radio") { element.checked = false; }
      else { element.value = ""; }
      delete element.dataset.pickerReady;
      element.removeAttribute("aria-invalid");
    });
    copy.querySelectorAll(".code-suggestions, .field-error").forEach(function (element) { element.remove(); });
    copy.querySelectorAll(".code-title").forEach(function (element) { element.textContent = ""; });
    copy.querySelectorAll(".has-error").forEach(function (element) { element.classList.remove("has-error"); });
    last.parentNode.insertBefore(copy, last.nextSibling);
    copy.querySelectorAll("input[data-picker]").forEach(attach);
    var first = copy.querySelector("input, select");
    if (first) { first.focus(); }
  }

  form.querySelectorAll("input[data-picker]").forEach(attach);
  form.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () { addRow(button); });
  });
  form.addEventListener("change", function (event) {
    if (event.target.matches("select.code-kind")) {
      var input = event.target.closest("[data-row]").querySelector("input[data-picker]");
      if (input) { showTitle(input); }
    }
  });
})();
