// Narrow screens: the list filters start folded (their <details> is open in the page,
// so that without this script they are simply shown), and open again on wide screens.
document.addEventListener("DOMContentLoaded", function () {
  var narrow = window.matchMedia("(max-width: 50rem)");
  function fold() {
    document.querySelectorAll("details.filters-panel").forEach(function (panel) {
      panel.open = !narrow.matches;
    });
  }
  fold();
  narrow.addEventListener("change", fold);
});
