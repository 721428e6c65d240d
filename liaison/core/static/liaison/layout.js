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

// Lists: the header checkbox ticks every row of the page; the column settings move a
// column up or down (the form posts the columns in the order listed).
document.addEventListener("change", function (event) {
  var all = event.target.closest("input.select-all");
  if (!all) return;
  var table = all.closest("table");
  table.querySelectorAll("tbody input[name=pk]").forEach(function (box) {
    box.checked = all.checked;
  });
});
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.move-up, button.move-down");
  if (!button) return;
  var item = button.closest("li");
  if (button.classList.contains("move-up") && item.previousElementSibling) {
    item.parentNode.insertBefore(item, item.previousElementSibling);
  } else if (button.classList.contains("move-down") && item.nextElementSibling) {
    item.parentNode.insertBefore(item.nextElementSibling, item);
  }
  button.focus();
});
