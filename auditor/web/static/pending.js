// A document still queued or being audited: poll its state and open the report when it is done.
(function () {
  "use strict";
  var el = document.getElementById("job"), id = el.dataset.id;
  setInterval(function () {
    fetch("/api/documents/" + id, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (j) {
      if (j.status === "done" || j.status === "failed") { location.reload(); return; }
      el.textContent = j.status_zh + " " + j.elapsed + " 秒";
    });
  }, 1000);
})();
