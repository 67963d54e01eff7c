// jixiao web: the import page sends several files one at a time, each to its own request,
// and shows the progress and each file's result as it arrives. Without JavaScript the form
// posts all files at once, as before. No inline scripts.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form || !window.fetch || !window.FormData || !window.Promise) return;
  var input = form.querySelector("input[type=file]");
  var button = form.querySelector("button[type=submit]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var oneUrl = form.getAttribute("data-one-url");
  var loginUrl = form.getAttribute("data-login-url");
  var maxFiles = parseInt(form.getAttribute("data-max-files"), 10);
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
  var maxMb = form.getAttribute("data-max-mb");
  var section = document.getElementById("import-progress");
  var statusLine = document.getElementById("import-status");
  var bar = document.getElementById("import-bar");
  var summary = document.getElementById("import-summary");
  var results = document.getElementById("import-results");
  var running = false;
  var SESSION_LOST = "登录已过期，未导入（请重新登录后再导入）";

  function warnOnLeave(event) {
    event.preventDefault();
    event.returnValue = "";
    return "";
  }

  // A report made here for a file the server did not account for, in the server's markup.
  function failure(name, message) {
    var box = document.createElement("div");
    box.className = "file-report";
    box.setAttribute("data-imported", "0");
    box.setAttribute("data-failed", "1");
    var title = document.createElement("h3");
    title.textContent = name;
    var list = document.createElement("ul");
    list.className = "errors";
    var item = document.createElement("li");
    item.textContent = name + ": " + message;
    list.appendChild(item);
    box.appendChild(title);
    box.appendChild(list);
    return box;
  }

  function fragment(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    return holder.content.querySelector(".file-report");
  }

  // What went wrong, in Chinese, from an answer that is not a file report.
  function problem(response, text) {
    var type = response.headers.get("Content-Type") || "";
    var plain = type.indexOf("text/plain") === 0 ? text.trim() : "";
    if (plain && plain.length <= 300) return plain;
    if (response.status === 403) return "没有导入权限，或页面已过期（请刷新页面后重试），未导入";
    if (response.status === 413) return "文件超过 " + maxMb + " MB，未导入";
    if (response.status >= 500) return "服务器出错（HTTP " + response.status + "），未导入";
    if (response.ok) return "服务器的回答无法识别，未导入";
    return "导入失败（HTTP " + response.status + "），未导入";
  }

  var sessionLost = false;

  function sendOne(file) {
    if (sessionLost) return Promise.resolve(failure(file.name, SESSION_LOST));
    if (file.size > maxBytes) {
      return Promise.resolve(failure(file.name, "文件超过 " + maxMb + " MB，未导入"));
    }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    data.append("file", file, file.name);
    return fetch(oneUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
    }).then(
      function (response) {
        if (response.redirected && new URL(response.url).pathname.indexOf(loginUrl) === 0) {
          sessionLost = true;
          return failure(file.name, SESSION_LOST);
        }
        return response.text().then(function (text) {
          var report = response.headers.get("X-Import-Report") ? fragment(text) : null;
          return report || failure(file.name, problem(response, text));
        });
      },
      function () {
        return failure(file.name, "网络错误，未能上传（请检查网络连接后重试）");
      }
    );
  }

  function run(files) {
    var imported = 0;
    var failed = 0;
    var done = 0;
    running = true;
    sessionLost = false;
    button.disabled = true;
    input.disabled = true;
    window.addEventListener("beforeunload", warnOnLeave);
    // the account of an earlier whole-form post would only confuse
    document.querySelectorAll("#import-report, main > ul.errors").forEach(function (old) {
      old.remove();
    });
    results.textContent = "";
    summary.hidden = true;
    summary.textContent = "";
    bar.max = files.length;
    bar.value = 0;
    statusLine.classList.remove("errors");
    section.hidden = false;

    function finish() {
      statusLine.textContent = "已处理 " + done + " / " + files.length + " 个文件";
      summary.textContent = "导入完成：成功 " + imported + " 张，失败 " + failed + " 项";
      summary.hidden = false;
      running = false;
      button.disabled = false;
      input.disabled = false;
      input.value = "";
      window.removeEventListener("beforeunload", warnOnLeave);
    }

    function next() {
      if (done >= files.length) {
        finish();
        return;
      }
      var file = files[done];
      statusLine.textContent =
        "正在导入 " + (done + 1) + " / " + files.length + "：" + file.name + "…";
      sendOne(file)
        .catch(function () {
          return failure(file.name, "页面出错，未导入（请刷新页面后重试）");
        })
        .then(function (report) {
          results.appendChild(report);
          imported += parseInt(report.getAttribute("data-imported"), 10) || 0;
          failed += parseInt(report.getAttribute("data-failed"), 10) || 0;
          done += 1;
          bar.value = done;
          next();
        });
    }
    next();
  }

  form.addEventListener("submit", function (event) {
    var files = Array.prototype.slice.call(input.files || []);
    if (files.length < 2 && !running) return; // one file: the ordinary post, one request anyway
    event.preventDefault();
    if (running) return;
    if (files.length > maxFiles) {
      section.hidden = false;
      results.textContent = "";
      summary.hidden = true;
      bar.value = 0;
      statusLine.classList.add("errors");
      statusLine.textContent = "一次最多导入 " + maxFiles + " 个文件，请分批选择";
      return;
    }
    run(files);
  });
})();
