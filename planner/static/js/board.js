/* Scheduling pages: the live progress bar of a scheduler run, and drag-and-drop moves on
   the board (the server checks every move; a refused one shows the reason). */
(function () {
  "use strict";

  function digits(value) {
    if (value === null || value === undefined) { return "—"; }
    var text = String(value);
    var lang = document.documentElement.lang;
    if (lang === "ru") { return text.replace(".", ","); }
    if (lang !== "fa") { return text; }
    return text.replace(".", "٫").replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
  }

  // Replace parts of the page with their current server rendering, in place: the scroll
  // position and everything else on the page stay as they are.
  function refreshParts(selectors) {
    return fetch(window.location.href, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        selectors.forEach(function (selector) {
          var now = document.querySelector(selector), next = fresh.querySelector(selector);
          if (!now || !next) { return; }
          now.innerHTML = next.innerHTML;
          Array.prototype.forEach.call(next.attributes, function (attr) { now.setAttribute(attr.name, attr.value); });
        });
      });
  }

  function pollJob(box) {
    var url = box.dataset.url;
    var bar = box.querySelector(".job-progress");
    var status = box.querySelector(".job-status");
    function show(state) {
      bar.value = state.fraction;
      bar.textContent = digits(Math.round(state.fraction * 100)) + "%";
      status.textContent = state.status_label;
      status.dataset.status = state.status;
      box.querySelector(".job-remaining").textContent = digits(state.remaining);
      var error = box.querySelector(".job-error");
      if (state.error_label) {
        error.querySelector(".job-error-label").textContent = state.error_label;
        error.querySelector(".job-reason").textContent = state.reason_label || "";
        var reference = error.querySelector(".job-reference");
        reference.hidden = !state.reference;
        reference.querySelector("code").textContent = state.reference || "";
        error.hidden = false;
      }
      if (state.board_url) {
        var result = box.querySelector(".job-result");
        result.querySelector("a").href = state.board_url;
        result.hidden = false;
      }
      if (state.finished && box.dataset.finished !== "true") {
        // The run ended while the page was open: bring its outcome and the versions list in.
        refreshParts(["#job", "#versions"]);
      }
      if (state.finished) {
        box.dataset.finished = "true";
        var cancel = box.querySelector(".job-cancel");
        if (cancel) { cancel.hidden = true; }
        var submit = document.querySelector("#solve-form [type=submit]");
        if (submit) { submit.disabled = false; }
      }
    }
    function tick() {
      fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (state) {
          show(state);
          if (!state.finished) { window.setTimeout(tick, 700); }
        })
        .catch(function () { window.setTimeout(tick, 2000); });
    }
    if (box.dataset.finished !== "true") { tick(); }
  }

  var BOARD_PARTS = ["#board", "#figures", ".board-actions", "#unscheduled"];

  function boardMoves(board) {
    var error = document.getElementById("board-error");
    var dragged = null;
    board.addEventListener("dragstart", function (event) {
      var meeting = event.target.closest && event.target.closest(".meeting[draggable=true]");
      if (!meeting) { return; }
      dragged = meeting;
      meeting.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", meeting.dataset.meeting);
    });
    board.addEventListener("dragend", function () {
      if (dragged) { dragged.classList.remove("dragging"); }
      board.querySelectorAll(".cell.over").forEach(function (cell) { cell.classList.remove("over"); });
    });
    board.addEventListener("dragover", function (event) {
      var cell = event.target.closest && event.target.closest(".cell");
      if (!cell || !dragged) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      board.querySelectorAll(".cell.over").forEach(function (other) { if (other !== cell) { other.classList.remove("over"); } });
      cell.classList.add("over");
    });
    board.addEventListener("drop", function (event) {
      var cell = event.target.closest && event.target.closest(".cell");
      if (!cell || !dragged) { return; }
      event.preventDefault();
      var meetingId = event.dataTransfer.getData("text/plain") || dragged.dataset.meeting;
      move(meetingId, cell.dataset.slot, cell.dataset.table);
    });
    // Keyboard and click: choosing a meeting fills the move form.
    board.addEventListener("click", function (event) {
      var meeting = event.target.closest && event.target.closest(".meeting");
      if (!meeting || event.target.closest("form")) { return; }
      var select = document.getElementById("move-meeting");
      if (select) { select.value = meeting.dataset.meeting; }
      board.querySelectorAll(".meeting.selected").forEach(function (m) { m.classList.remove("selected"); });
      meeting.classList.add("selected");
    });

    // Locking and unlocking without leaving the page (the form still works without JavaScript).
    board.addEventListener("submit", function (event) {
      var form = event.target.closest && event.target.closest("form.lock-form");
      if (!form) { return; }
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) { data.append(event.submitter.name, event.submitter.value); }
      board.classList.add("busy");
      fetch(form.action, {method: "POST", body: data, credentials: "same-origin",
                          headers: {"Accept": "application/json", "X-CSRFToken": board.dataset.csrf}})
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (!result.ok) { error.textContent = result.error; error.hidden = false; }
          return refreshParts(BOARD_PARTS);
        })
        .then(function () { board.classList.remove("busy"); })
        .catch(function () { board.classList.remove("busy"); });
    });

    function move(meetingId, slotId, tableId) {
      var data = new FormData();
      data.append("csrf_token", board.dataset.csrf);
      data.append("meeting_id", meetingId);
      data.append("slot_id", slotId);
      data.append("table_id", tableId);
      data.append("expected_lock", board.dataset.lock);
      board.classList.add("busy");
      fetch(board.dataset.moveUrl, {method: "POST", body: data, credentials: "same-origin",
                                    headers: {"Accept": "application/json", "X-CSRFToken": board.dataset.csrf}})
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (result.ok) {
            error.hidden = true;
            refreshParts(BOARD_PARTS).then(function () { board.classList.remove("busy"); });
          } else {
            board.classList.remove("busy");
            error.textContent = result.error;
            error.hidden = false;
            error.scrollIntoView({block: "nearest"});
          }
        })
        .catch(function () { board.classList.remove("busy"); });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var job = document.getElementById("job");
    if (job) { pollJob(job); }
    var board = document.getElementById("board");
    if (board && board.classList.contains("editable")) { boardMoves(board); }
  });
})();
