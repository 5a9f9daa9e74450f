// rasd: a little progressive enhancement; every page works without it.
(function () {
  "use strict";
  // "/" focuses the search box, as on most search sites.
  document.addEventListener("keydown", function (e) {
    var q = document.getElementById("q");
    if (e.key === "/" && q && document.activeElement !== q &&
        !(document.activeElement && /INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName))) {
      e.preventDefault();
      q.focus();
      q.select();
    }
  });
  // Clicking a legend entry on a document page dims the other kinds of highlight.
  document.querySelectorAll(".legend > span").forEach(function (el) {
    el.setAttribute("role", "button");
    el.setAttribute("tabindex", "0");
    el.addEventListener("click", function () {
      var body = document.getElementById("body");
      if (!body) return;
      var cls = el.classList.contains("timex") ? "only-timex" :
        "only-" + (Array.prototype.find.call(el.classList, function (c) { return c.indexOf("ent-") === 0; }) || "");
      var on = body.dataset.only === cls;
      body.className = "text" + (on ? "" : " " + cls);
      body.dataset.only = on ? "" : cls;
    });
  });
})();
