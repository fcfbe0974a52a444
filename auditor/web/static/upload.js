// Upload page: drag and drop or pick files/folders, send them with fetch (the page's CSRF token in a header),
// and poll the document list while anything is queued or being audited. Text goes in with textContent only.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var form = document.getElementById("upload");
  var msg = document.getElementById("upload-msg");
  var tbody = document.querySelector("#docs tbody");

  function readEntry(entry, out) {
    return new Promise(function (resolve) {
      if (entry.isFile) {
        entry.file(function (f) { out.push([f, entry.fullPath.replace(/^\//, "")]); resolve(); }, resolve);
      } else if (entry.isDirectory) {
        var reader = entry.createReader(), all = [];
        (function more() {
          reader.readEntries(function (batch) {
            if (!batch.length) { Promise.all(all.map(function (e) { return readEntry(e, out); })).then(resolve); return; }
            all = all.concat(Array.prototype.slice.call(batch)); more();
          }, resolve);
        })();
      } else { resolve(); }
    });
  }

  function send(pairs) {
    if (!pairs.length) return;
    var fd = new FormData();
    pairs.forEach(function (p) { fd.append("file", p[0], p[1] || p[0].name); });
    msg.textContent = "正在上传 " + pairs.length + " 个文件…";
    fetch("/api/documents", {method: "POST", body: fd, headers: {"X-CSRF-Token": csrf}, credentials: "same-origin"})
      .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
      .then(function (res) {
        var j = res[1];
        if (res[0] >= 300) { msg.textContent = "上传失败：" + (j.error || res[0]); return; }
        msg.textContent = "已上传 " + pairs.length + " 个文件，共 " + j.ids.length + " 份待审核" +
          (j.rejected.length ? "，" + j.rejected.length + " 个不是可审核的文件" : "");
        poll();
      })
      .catch(function (e) { msg.textContent = "上传失败：" + e; });
  }

  function files(list) {
    return Array.prototype.map.call(list, function (f) { return [f, f.webkitRelativePath || f.name]; });
  }

  ["files", "folder"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", function (e) { send(files(e.target.files)); e.target.value = ""; });
  });
  form.addEventListener("dragover", function (e) { e.preventDefault(); form.classList.add("over"); });
  form.addEventListener("dragleave", function () { form.classList.remove("over"); });
  form.addEventListener("drop", function (e) {
    e.preventDefault(); form.classList.remove("over");
    var items = e.dataTransfer.items, out = [], waits = [];
    if (items && items.length && items[0].webkitGetAsEntry) {
      Array.prototype.forEach.call(items, function (it) { var en = it.webkitGetAsEntry(); if (en) waits.push(readEntry(en, out)); });
      Promise.all(waits).then(function () { send(out); });
    } else { send(files(e.dataTransfer.files)); }
  });

  function cell(tr, text, cls) { var td = document.createElement("td"); td.textContent = text == null ? "" : text; if (cls) td.className = cls; tr.appendChild(td); return td; }

  function render(docs) {
    tbody.textContent = "";
    docs.forEach(function (d) {
      var tr = document.createElement("tr");
      tr.dataset.id = d.id; tr.dataset.status = d.status;
      var a = document.createElement("a"); a.href = d.url; a.textContent = d.name;
      var td = document.createElement("td"); td.appendChild(a); tr.appendChild(td);
      var st = cell(tr, d.status_zh + (d.error ? "：" + d.error : ""), "st st-" + d.status);
      if (d.status === "running") { var p = document.createElement("progress"); p.max = 1; p.value = d.progress; st.appendChild(p); }
      cell(tr, d.department); cell(tr, d.year); cell(tr, d.kind); cell(tr, d.errors); cell(tr, d.warnings); cell(tr, d.infos);
      tbody.appendChild(tr);
    });
  }

  var timer = null;
  function poll() {
    if (timer) return;
    timer = setInterval(function () {
      fetch("/api/documents", {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (j) {
        render(j.documents);
        if (!j.documents.some(function (d) { return d.status === "queued" || d.status === "running"; })) { clearInterval(timer); timer = null; }
      });
    }, 1000);
  }
  if (document.querySelector('#docs tr[data-status="queued"], #docs tr[data-status="running"]')) poll();
})();
