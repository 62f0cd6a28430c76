/* A backfill being prepared: the progress bar follows the run (the scheduler's progress JSON),
   and when the run ends the page loads again, which opens the draft's changes or says why not.
   Without JavaScript the page refreshes itself every few seconds (<noscript> in its head). */
(function () {
  "use strict";
  var box = document.getElementById("backfill-run");
  if (!box || box.dataset.finished === "true") { return; }
  var bar = box.querySelector(".job-progress");
  var status = box.querySelector(".job-status");
  var remaining = box.querySelector(".job-remaining");

  function digits(value) {
    var text = String(value), lang = document.documentElement.lang;
    return lang === "fa" ? text.replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; }) : text;
  }

  function tick() {
    fetch(box.dataset.url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.value = state.fraction;
        bar.textContent = digits(Math.round(state.fraction * 100)) + "%";
        status.textContent = state.status_label;
        remaining.textContent = digits(state.remaining);
        box.dataset.status = state.status;
        if (state.finished) { window.location.reload(); } else { window.setTimeout(tick, 700); }
      })
      .catch(function () { window.setTimeout(tick, 2000); });
  }
  tick();
})();
