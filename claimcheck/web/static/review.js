// Keyboard shortcuts for the review pages. Plain DOM, no dependencies; pages work without it.
(function () {
  "use strict";

  function typing(event) {
    var t = event.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  function go(id) {
    var link = document.getElementById(id);
    if (link) { window.location.href = link.href; }
  }

  function decide(key) {
    var form = document.getElementById("decision-form");
    if (!form) { return; }
    var button = form.querySelector('button[data-key="' + key + '"]');
    var editor = document.getElementById("editor");
    if (editor && !editor.value.trim()) {
      // A decision needs a name: ask for it rather than submit a form the server will refuse.
      editor.focus();
      editor.reportValidity();
      return;
    }
    if (button) { form.requestSubmit(button); }
  }

  function moveSelection(rows, step) {
    var current = rows.findIndex(function (r) { return r.classList.contains("selected"); });
    var next = Math.min(rows.length - 1, Math.max(0, current + step));
    if (current >= 0) { rows[current].classList.remove("selected"); }
    rows[next].classList.add("selected");
    rows[next].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    var page = document.body.dataset.page;
    var key = event.key;
    if (page === "flag") {
      if (key === "j" || key === "n") { go("next-flag"); }
      else if (key === "k" || key === "p") { go("prev-flag"); }
      else if (key === "c" || key === "d" || key === "f") { event.preventDefault(); decide(key); }
      else { return; }
      event.preventDefault();
    } else if (page === "queue") {
      var rows = Array.prototype.slice.call(document.querySelectorAll("table.queue tbody tr"));
      if (!rows.length) { return; }
      if (key === "j" || key === "n") { moveSelection(rows, 1); }
      else if (key === "k" || key === "p") { moveSelection(rows, -1); }
      else if (key === "Enter") {
        var selected = rows.find(function (r) { return r.classList.contains("selected"); });
        if (!selected) { return; }
        window.location.href = selected.dataset.href;
      } else { return; }
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("table.queue tbody tr");
    if (row && !event.target.closest("a")) { window.location.href = row.dataset.href; }
  });

  document.addEventListener("submit", function (event) {
    var busy = event.target.querySelector(".busy");
    if (busy) { busy.hidden = false; }
  });
})();
