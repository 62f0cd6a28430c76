// The check-in desk: scan a pass with the camera (html5-qrcode), or let a USB scanner type it.
// A decoded code is put into the code field and the form is sent, exactly as if typed.
(function () {
  "use strict";
  var button = document.getElementById("scan-start");
  var form = document.getElementById("code-form");
  if (!button || !form || typeof Html5Qrcode === "undefined") { return; }
  var field = form.querySelector("input[name=code]");
  var stop = document.getElementById("scan-stop");
  var status = document.getElementById("scan-status");
  var scanner = null;

  function say(text) { if (status) { status.textContent = text; } }

  function halt() {
    if (scanner) { scanner.stop().catch(function () {}); scanner = null; }
    button.hidden = false; stop.hidden = true;
  }

  button.addEventListener("click", function () {
    scanner = new Html5Qrcode("scan-view");
    button.hidden = true; stop.hidden = false;
    say(button.dataset.waiting);
    scanner.start({ facingMode: "environment" }, { fps: 10, qrbox: { width: 220, height: 220 } },
      function (text) { field.value = text; halt(); form.submit(); },
      function () {}
    ).catch(function () { say(button.dataset.noCamera); halt(); });
  });
  stop.addEventListener("click", halt);
})();
