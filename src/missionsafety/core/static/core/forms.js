// Forms that come back with errors: move focus to the error summary at the top,
// and let each of its links put the cursor in the field it names.
(function () {
  "use strict";
  function focusSummary(root) {
    var summary = root.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      var details = field.closest("details");
      if (details) {
        details.open = true;
      }
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    focusSummary(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    focusSummary(event.target);
  });
})();
