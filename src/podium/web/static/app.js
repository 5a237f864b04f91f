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
  // Speakers: "on what" — each speaker's top issues and places, from the search API's facets,
  // two requests at a time; the chips are built with textContent (names are data, not HTML).
  var cells = Array.prototype.slice.call(document.querySelectorAll("td.onwhat[data-speaker]"));
  var next = 0;
  function chip(cls, label, href, title) {
    var a = document.createElement("a");
    a.className = "chip " + cls;
    a.textContent = label;
    a.href = href;
    if (title) a.title = title;
    return a;
  }
  function fill(cell, facets) {
    var box = cell.querySelector(".topics");
    var who = cell.getAttribute("data-speaker");
    (facets.issue || []).slice(0, 3).forEach(function (row) {
      var q = "/search?speaker=" + encodeURIComponent(who) + "&issue=" + encodeURIComponent(row[0]);
      box.appendChild(chip("issue", String(row[0]).replace(/_/g, " "), q, row[1] + " sentences"));
    });
    (facets.place || []).slice(0, 3).forEach(function (row) {
      var q = "/search?speaker=" + encodeURIComponent(who) + "&place=" + encodeURIComponent(row[0]);
      box.appendChild(chip("place", String(row[0]), q, row[1] + " sentences"));
    });
  }
  function one() {
    var cell = cells[next++];
    if (!cell || !window.fetch) return;
    fetch("/api/search?limit=0&speaker=" + encodeURIComponent(cell.getAttribute("data-speaker")))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) { if (body && body.facets) fill(cell, body.facets); })
      .catch(function () { /* the links stay */ })
      .then(one);
  }
  one(); one();

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
