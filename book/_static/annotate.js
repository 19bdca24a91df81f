// Annotated tables (helpers.reanalysis.annotate): each coloured cell is a <details> element and
// opens without any script. This only helps a phone: a note just opened is scrolled into view
// inside its table's scrolling box, so that it does not open beyond the edge of the screen.
document.addEventListener("toggle", function (event) {
  var note = event.target;
  if (!note || !note.classList || !note.classList.contains("ann-note") || !note.open) {
    return;
  }
  var detail = note.querySelector(".ann-detail");
  if (detail && detail.scrollIntoView) {
    detail.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
}, true);
