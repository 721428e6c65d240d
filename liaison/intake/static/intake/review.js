// Hovering or focusing a proposal lights its mentions in the text, and the reverse.
(function () {
  "use strict";
  function numbersOf(el) {
    return ((el.dataset.p || "") + " " + (el.dataset.passage || "")).split(" ").filter(Boolean);
  }
  function light(numbers, on) {
    numbers.forEach(function (n) {
      document.querySelectorAll('[data-p~="' + n + '"], [data-passage~="' + n + '"], .proposal[data-number="' + n + '"]')
        .forEach(function (el) { el.classList.toggle("lit", on); });
    });
  }
  function handler(on) {
    return function (event) {
      var card = event.target.closest && event.target.closest(".proposal[data-number]");
      if (card) { light([card.dataset.number], on); return; }
      var mark = event.target.closest && event.target.closest("#text mark[data-p], #text .passage");
      if (mark) { light(numbersOf(mark), on); }
    };
  }
  document.addEventListener("mouseover", handler(true));
  document.addEventListener("mouseout", handler(false));
  document.addEventListener("focusin", handler(true));
  document.addEventListener("focusout", handler(false));
})();
