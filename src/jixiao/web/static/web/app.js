// jixiao web: indicator rows (add, remove, reorder) and list selection. No inline scripts.
(function () {
  "use strict";
  function changed() {
    document.body.dispatchEvent(new CustomEvent("rows-changed", { bubbles: true }));
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action]");
    if (!button) return;
    var action = button.getAttribute("data-action");
    var row = button.closest("tr");
    if (action === "add-row") {
      var template = document.getElementById("indicator-template");
      var body = document.getElementById("indicator-rows");
      body.appendChild(template.content.cloneNode(true));
      var rows = body.querySelectorAll("tr.indicator-row");
      var last = rows[rows.length - 1];
      if (last) last.querySelector("input[name=ind_name]").focus();
      changed();
    } else if (action === "row-remove" && row) {
      row.remove();
      changed();
    } else if (action === "row-up" && row && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
      changed();
    } else if (action === "row-down" && row && row.nextElementSibling) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
      changed();
    } else if (action === "select-all") {
      document.querySelectorAll("input[name=ids]").forEach(function (box) {
        box.checked = button.checked;
      });
    }
  });
})();
