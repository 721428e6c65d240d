// Record pickers: search the server as the user types (Liaison's autocomplete endpoint).
document.addEventListener("DOMContentLoaded", function () {
  var $ = window.django && window.django.jQuery;
  if (!$ || !$.fn.select2) { return; }
  $("select[data-picker]").each(function () {
    var select = $(this);
    select.select2({
      width: "100%",
      allowClear: !select.prop("required"),
      placeholder: "",
      ajax: {
        url: select.data("picker"),
        dataType: "json",
        delay: 250,
        data: function (params) { return { q: params.term || "" }; },
        processResults: function (data) { return data; }
      }
    });
  });
});
