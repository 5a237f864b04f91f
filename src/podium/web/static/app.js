// podium web UI: a little progressive enhancement; every page works without it.
(function () {
  "use strict";
  // Filter forms: a changed <select class="autosubmit"> submits its form.
  document.querySelectorAll("select.autosubmit").forEach(function (el) {
    el.addEventListener("change", function () { if (el.form) el.form.submit(); });
  });
  // Reader: show or hide the per-sentence labels (remembered in this browser).
  var toggle = document.getElementById("toggle-chips");
  if (toggle) {
    var key = "podium.chips";
    var off = false;
    try { off = window.localStorage.getItem(key) === "off"; } catch (e) { /* private mode */ }
    toggle.checked = !off;
    document.body.classList.toggle("nochips", off);
    toggle.addEventListener("change", function () {
      document.body.classList.toggle("nochips", !toggle.checked);
      try { window.localStorage.setItem(key, toggle.checked ? "on" : "off"); } catch (e) { /* ignore */ }
    });
  }
  // Reader on a narrow screen: the side panels start closed, the transcript comes first.
  if (window.matchMedia && window.matchMedia("(max-width: 900px)").matches) {
    document.querySelectorAll("nav.side details[open]").forEach(function (d) { d.open = false; });
  }
  // Reader: a link to a sentence opens the <details> that hold it.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var el = document.getElementById(id);
    if (!el) return;
    for (var p = el.parentElement; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") p.open = true;
    }
    el.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", reveal);
  if (window.location.hash) reveal();
})();
