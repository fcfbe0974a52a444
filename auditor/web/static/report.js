// Report page: bring the first marked cell of each table into view.
(function () {
  "use strict";
  document.querySelectorAll(".grid-wrap").forEach(function (wrap) {
    var m = wrap.querySelector("td.mark");
    if (m) wrap.scrollTop = Math.max(0, m.offsetTop - wrap.clientHeight / 2);
  });
})();
