// jixiao web: indicator rows (add, remove, reorder), 采用计算值, a question before leaving
// the editor with unsaved changes, and list selection. No inline scripts; without
// JavaScript the editor still saves (and 采用计算值 goes through the server).
(function () {
  "use strict";
  var editForm = document.getElementById("edit-form");
  // Unsaved: typed since the page loaded, or a page that came back with unsaved values
  // (a failed or conflicting save) — data-unsaved on the form.
  var dirty = !!(editForm && editForm.hasAttribute("data-unsaved"));
  function markDirty() { dirty = true; }
  if (editForm) {
    editForm.addEventListener("input", markDirty);
    editForm.addEventListener("change", markDirty);
    editForm.addEventListener("submit", function (event) {
      var by = event.submitter;
      if (!by || by.name !== "adopt") dirty = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";  // the browser asks: 离开此页？未保存的修改将丢失
    });
  }
  function changed() {
    markDirty();
    document.body.dispatchEvent(new CustomEvent("rows-changed", { bubbles: true }));
  }
  // 采用计算值: the panel's button names the field (ind_score.3 = the 4th row's 得分) and
  // carries the computed value; fill it in here instead of asking the server.
  function adoptTarget(name) {
    if (!editForm) return null;
    var row = /^ind_score\.(\d+)$/.exec(name);
    if (row) return editForm.querySelectorAll("input[name=ind_score]")[Number(row[1])] || null;
    return editForm.querySelector('[name="' + name.replace(/"/g, "") + '"]');
  }
  document.addEventListener("click", function (event) {
    var adopt = event.target.closest("button[name=adopt]");
    if (!adopt) return;
    var input = adoptTarget(adopt.value);
    if (!input) return;  // the form goes to the server, which fills it in
    event.preventDefault();
    input.value = adopt.getAttribute("data-value");
    input.classList.add("adopted");
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
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
      var name = row.querySelector("input[name=ind_name]");
      var label = name && name.value ? "“" + name.value + "”" : "这一行";
      if (!window.confirm("删除指标" + label + "？保存后才生效。")) return;
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
