// Jalali dates on Persian pages: every input the form marks with data-jdp (planner/text/fields.py)
// opens the vendored picker (@majidh1/jalalidatepicker). The picker reads and writes ASCII
// digits only, so the value is handed to it in ASCII while the field has the focus and shown in
// Persian digits otherwise. The field stays typeable: the server takes Jalali or Gregorian
// dates in any digits.
(function () {
  "use strict";
  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹", ARABIC = "٠١٢٣٤٥٦٧٨٩";
  function ascii(text) {
    return text.replace(/[۰-۹]/g, function (d) { return PERSIAN.indexOf(d); })
               .replace(/[٠-٩]/g, function (d) { return ARABIC.indexOf(d); });
  }
  function persian(text) { return text.replace(/[0-9]/g, function (d) { return PERSIAN[d]; }); }
  function isDateInput(target) { return target && target.matches && target.matches("input[data-jdp]"); }

  // Capture on window runs before the picker's own listeners on the document.
  ["focusin", "mousedown"].forEach(function (name) {
    window.addEventListener(name, function (event) {
      if (isDateInput(event.target)) event.target.value = ascii(event.target.value);
    }, true);
  });
  ["focusout", "change"].forEach(function (name) {
    window.addEventListener(name, function (event) {
      if (isDateInput(event.target) && document.activeElement !== event.target) {
        event.target.value = persian(event.target.value);
      }
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.jalaliDatepicker || !document.querySelector("input[data-jdp]")) return;
    window.jalaliDatepicker.startWatch({
      persianDigits: true,
      autoReadOnlyInput: false,
      separatorChars: { date: "/" },
      zIndex: 2000
    });
  });
})();
