/* Lentera: small progressive enhancements; every page works without them. */
(function () {
  "use strict";
  var root = document.documentElement;

  function norm(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  /* A search box above long selects (regions: about 550 regencies): type part of a name. */
  function searchable(select) {
    if (select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.placeholder = root.dataset.searchLabel || "";
    box.setAttribute("aria-label", (root.dataset.searchLabel || "") + " " + (select.labels && select.labels[0] ? select.labels[0].textContent : ""));
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var q = norm(box.value.trim());
      var firstMatch = null;
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.dataset.match = q && norm(group.label).indexOf(q) >= 0 ? "1" : "";
      });
      Array.prototype.forEach.call(select.options, function (option) {
        var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode : null;
        var show = !q || option.value === "" || option.selected || norm(option.textContent).indexOf(q) >= 0 || (group && group.dataset.match);
        option.hidden = !show;
        if (show && q && option.value !== "" && !firstMatch) firstMatch = option;
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
      });
      if (firstMatch && !select.multiple) { select.value = firstMatch.value; select.dispatchEvent(new Event("change", { bubbles: true })); }
    });
  }

  /* Length limits: shown and counted; the server refuses (with a message) rather than cutting. */
  function counted(area) {
    var limit = parseInt(area.dataset.maxlength || area.getAttribute("maxlength"), 10);
    if (!limit || area.dataset.counted) return;
    area.dataset.counted = "1";
    area.removeAttribute("maxlength"); /* a browser would cut pasted text silently */
    area.dataset.maxlength = String(limit);
    var out = document.createElement("small");
    out.className = "help counter";
    out.setAttribute("aria-live", "polite");
    area.parentNode.insertBefore(out, area.nextSibling);
    function update() {
      var n = area.value.length;
      out.textContent = (root.dataset.counterLabel || "{n} / {max}").replace("{n}", n.toLocaleString(root.lang)).replace("{max}", limit.toLocaleString(root.lang));
      out.classList.toggle("error", n > limit);
    }
    area.addEventListener("input", update);
    update();
  }

  /* A field that applies to some answers of another field only (data-when="kind",
     data-when-in="dp" or data-when-not-in="dp") is hidden while it does not apply. */
  function conditional(input) {
    var form = input.form;
    var other = form && form.elements[input.dataset.when];
    var wrap = input.closest(".field");
    if (!other || !wrap || input.dataset.whenReady) return;
    input.dataset.whenReady = "1";
    function update() {
      var value = other.value;
      var hit = input.dataset.whenIn ? input.dataset.whenIn.split(" ").indexOf(value) >= 0
                                     : input.dataset.whenNotIn.split(" ").indexOf(value) < 0;
      wrap.hidden = !hit;
    }
    other.addEventListener("change", update);
    update();
  }

  function enhance(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("[data-when]"), conditional);
    Array.prototype.forEach.call(scope.querySelectorAll("select[data-search]"), searchable);
    Array.prototype.forEach.call(scope.querySelectorAll("textarea[maxlength], textarea[data-maxlength]"), counted);
  }

  /* Confirm destructive actions; one submission per click (a second click waits). */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.dataset.confirm || (event.submitter && event.submitter.dataset.confirm);
    if (question && !window.confirm(question)) { event.preventDefault(); return; }
    if (form.dataset.submitted) { event.preventDefault(); return; }
    if ((form.method || "").toLowerCase() === "post") {
      form.dataset.submitted = "1";
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit], button:not([type])"), function (b) { b.setAttribute("aria-disabled", "true"); });
      window.setTimeout(function () { delete form.dataset.submitted; }, 15000);
    }
  });

  /* The server ends a session after idleSeconds without a request. Typing in a form keeps it
     alive (a ping at most every 2 minutes); five minutes before the end a banner warns and
     offers to stay signed in, so a half-filled form is never sent into an expired session. */
  var keepalive = root.dataset.keepalive;
  var idleSeconds = parseInt(root.dataset.idleSeconds || "0", 10);
  var lastActive = Date.now();
  var lastPing = Date.now();
  var banner = null;
  function ping() {
    lastPing = lastActive = Date.now();
    if (banner) { banner.remove(); banner = null; }
    return fetch(keepalive, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": root.dataset.csrf || "" } });
  }
  if (keepalive && idleSeconds) {
    document.addEventListener("input", function () {
      lastActive = Date.now();
      if (Date.now() - lastPing > 120000) ping();
    });
    window.setInterval(function () {
      var left = idleSeconds * 1000 - (Date.now() - lastPing);
      if (left < 300000 && left > 0 && !banner && document.querySelector("form[method=post] textarea, form[method=post] input:not([type=hidden])")) {
        banner = document.createElement("div");
        banner.className = "session-warning";
        banner.setAttribute("role", "alert");
        banner.textContent = (root.dataset.expiryWarning || "") + " ";
        var stay = document.createElement("button");
        stay.type = "button";
        stay.textContent = root.dataset.stayLabel || "OK";
        stay.addEventListener("click", ping);
        banner.appendChild(stay);
        document.body.insertBefore(banner, document.body.firstChild);
      }
    }, 30000);
  }

  /* Sectioned edit pages: a section typed in and not saved yet is marked, and leaving the page
     (a link, back, closing the tab) asks first. The server keeps such typing across a section
     save anyway ("belum disimpan"); this only guards leaving the page. */
  var leaving = false;
  document.addEventListener("input", function (event) {
    var section = event.target.closest && event.target.closest("fieldset.section");
    if (section) section.classList.add("dirty");
  });
  document.addEventListener("submit", function () { leaving = true; });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || !document.querySelector("fieldset.section.dirty, fieldset.section.unsaved")) return;
    event.preventDefault();
    event.returnValue = "";
  });

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target.parentNode || document); });
})();
