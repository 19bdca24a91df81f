// Claims ledger: a verdict filter that starts on the checks that failed, a text filter, and
// sorting by any column. A link to a row (#row-...) shows every row and scrolls to that one.
// No external code; works offline.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table.ledger-table").forEach(function (table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var host = table.closest(".ledger-scroll") || table;
    var failed = ["inconsistent", "not_reproducible"];
    var choices = [["failed", "failed checks"], ["all", "all rows"], ["inconsistent", "inconsistent"],
                   ["not_reproducible", "not reproducible"], ["unverifiable", "unverifiable"],
                   ["consistent", "consistent"], ["reproduced", "reproduced"]];
    var state = { verdict: "failed" };
    var bar = document.createElement("div");
    bar.className = "ledger-verdicts";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Show rows by verdict");
    var buttons = {};
    choices.forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = choice[1];
      button.setAttribute("data-verdict", choice[0]);
      button.addEventListener("click", function () { state.verdict = choice[0]; update(); });
      buttons[choice[0]] = button;
      bar.appendChild(button);
    });
    var count = document.createElement("p");
    count.className = "ledger-count";
    var box = document.createElement("input");
    box.type = "search";
    box.placeholder = "Filter the ledger (any text: a table, a verdict, a check)";
    box.className = "ledger-filter";
    box.setAttribute("aria-label", "Filter the ledger");
    function wanted(row) {
      var verdict = row.getAttribute("data-verdict");
      if (state.verdict === "all") { return true; }
      if (state.verdict === "failed") { return failed.indexOf(verdict) !== -1; }
      return verdict === state.verdict;
    }
    function update() {
      var term = box.value.toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var match = wanted(row) && row.textContent.toLowerCase().indexOf(term) !== -1;
        row.style.display = match ? "" : "none";
        if (match) { shown += 1; }
      });
      Object.keys(buttons).forEach(function (key) {
        buttons[key].setAttribute("aria-pressed", key === state.verdict ? "true" : "false");
      });
      count.textContent = shown + " of " + rows.length + " rows shown";
    }
    box.addEventListener("input", update);
    host.parentNode.insertBefore(bar, host);
    host.parentNode.insertBefore(box, host);
    host.parentNode.insertBefore(count, host);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, index) {
      cell.style.cursor = "pointer";
      cell.title = "Sort by this column";
      cell.addEventListener("click", function () {
        var ascending = cell.getAttribute("data-sort") !== "asc";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
          other.removeAttribute("data-sort");
        });
        cell.setAttribute("data-sort", ascending ? "asc" : "desc");
        rows.sort(function (a, b) {
          var x = a.cells[index].textContent, y = b.cells[index].textContent;
          var nx = parseFloat(x), ny = parseFloat(y);
          var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    function reveal() {
      var id = decodeURIComponent(window.location.hash.slice(1));
      var target = id ? document.getElementById(id) : null;
      rows.forEach(function (row) { row.classList.remove("ledger-target"); });
      if (target && target.parentNode === body) {
        if (target.style.display === "none") { state.verdict = "all"; box.value = ""; update(); }
        target.classList.add("ledger-target");
        target.scrollIntoView({ block: "center" });
      }
    }
    window.addEventListener("hashchange", reveal);
    update();
    reveal();
  });
});
