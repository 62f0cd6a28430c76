/* The board: drag-and-drop moves (the server checks every move; a refused one shows the
   reason). A scheduler run's progress is an htmx fragment (templates/scheduling/_job.html). */
(function () {
  "use strict";

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
    var board = document.getElementById("board");
    if (board && board.classList.contains("editable")) { boardMoves(board); }
  });
})();
