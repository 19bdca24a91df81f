// Claims ledger: filter rows by text and sort by any column. No external code; works offline.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table.ledger-table").forEach(function (table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = document.createElement("p");
    var box = document.createElement("input");
    box.type = "search";
    box.placeholder = "Filter the ledger (any text: a table, a verdict, a check)";
    box.className = "ledger-filter";
    box.setAttribute("aria-label", "Filter the ledger");
    function update() {
      var term = box.value.toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var match = row.textContent.toLowerCase().indexOf(term) !== -1;
        row.style.display = match ? "" : "none";
        if (match) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " rows shown";
    }
    box.addEventListener("input", update);
    table.parentNode.insertBefore(box, table);
    table.parentNode.insertBefore(count, table);
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
    update();
  });
});
