// wildsift web: keyboard labelling and the urgent-flag poll. No inline script anywhere (CSP).
"use strict";
(function () {
  function typing(el) {
    return el && (el.tagName === "INPUT" && el.type !== "radio" && el.type !== "checkbox"
      || el.tagName === "TEXTAREA" || el.tagName === "SELECT");
  }
  var form = document.getElementById("label-form");
  if (form) {
    var all = Array.prototype.slice.call(form.querySelectorAll("fieldset.q"));
    var current = 0;
    var visible = function () { return all.filter(function (q) { return !q.hidden; }); };
    var mark = function () {
      all.forEach(function (q) { q.classList.remove("current"); });
      var shown = visible();
      if (current >= shown.length) { current = shown.length - 1; }
      if (shown[current]) {
        shown[current].classList.add("current");
        if (shown[current].dataset.kind !== "choice") {
          shown[current].querySelector("input").focus();
        }
      }
    };
    var relevantChanged = function () {
      var yes = form.querySelector("input[name=relevant]:checked");
      var on = yes && yes.value === "1";
      all.forEach(function (q) { if (q.dataset.conditional) { q.hidden = !on; } });
    };
    form.addEventListener("change", function (e) {
      if (e.target.name === "relevant") { relevantChanged(); }
    });
    form.addEventListener("focusin", function (e) {
      var q = e.target.closest("fieldset.q");
      if (q) { current = visible().indexOf(q); all.forEach(function (x) { x.classList.toggle("current", x === q); }); }
    });
    var submitForm = function (f) { if (f) { f.requestSubmit ? f.requestSubmit() : f.submit(); } };
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey) { return; }
      var target = e.target;
      if (typing(target)) {
        if (e.key === "Escape") { target.blur(); }
        if (e.key === "Tab" && !e.shiftKey) { e.preventDefault(); target.blur(); current += 1; mark(); }
        return; // Enter in a text field submits the form natively
      }
      if (e.key === "Enter") { e.preventDefault(); submitForm(form); return; }
      if (e.key === "s") { e.preventDefault(); submitForm(document.getElementById("skip-form")); return; }
      if (e.key === "u") { e.preventDefault(); submitForm(document.getElementById("undo-form")); return; }
      if (e.key === "!") { e.preventDefault(); document.getElementById("flag-urgent").click(); return; }
      if (e.key === "g") { e.preventDefault(); document.getElementById("flag-graphic").click(); return; }
      if (e.key === "Tab") { e.preventDefault(); current += e.shiftKey ? -1 : 1; if (current < 0) { current = 0; } mark(); return; }
      if (/^[1-9]$/.test(e.key)) {
        var q = visible()[current];
        if (!q || q.dataset.kind !== "choice") { return; }
        var option = q.querySelector("input[data-key='" + e.key + "']");
        if (!option) { return; }
        e.preventDefault();
        option.checked = true;
        if (q.dataset.name === "relevant") { relevantChanged(); }
        current += 1;
        mark();
      }
    });
    mark();
  } else {
    var undo = document.getElementById("undo-form");
    document.addEventListener("keydown", function (e) {
      if (undo && e.key === "u" && !typing(e.target)) { undo.requestSubmit(); }
    });
  }
  var link = document.getElementById("urgent-link");
  if (link && window.fetch) {
    window.setInterval(function () {
      fetch(link.dataset.poll, { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(function (d) {
          var badge = document.getElementById("urgent-count");
          if (!badge && d.open) { badge = document.createElement("span"); badge.id = "urgent-count"; badge.className = "badge"; link.appendChild(badge); }
          if (badge) { badge.textContent = d.open ? String(d.open) : ""; }
        }).catch(function () {});
    }, 15000);
  }
})();
