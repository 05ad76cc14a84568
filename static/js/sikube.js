// SIKUBE's few behaviours that need a script (loaded from /static/, allowed by the CSP).
document.addEventListener("DOMContentLoaded", function () {
  // On a desktop the book tabs may wrap: bring the current one into view.
  var current = document.querySelector("nav.tabs [aria-current=page]");
  if (current && current.scrollIntoView && current.offsetParent) {
    current.scrollIntoView({ block: "nearest", inline: "center" });
  }

  // A form in screens (the visit form): one screen at a time, "Lanjut" and "←" switch. Without this
  // script every screen shows, one after the other.
  function firstInvalid(root) {
    return root.querySelector("[aria-invalid=true], .errorlist");
  }
  document.querySelectorAll("form[data-steps]").forEach(function (form) {
    var steps = form.querySelectorAll("[data-step]");
    function show(n) {
      steps.forEach(function (s) { s.hidden = s.dataset.step !== String(n); });
      window.scrollTo(0, 0);
    }
    form.querySelectorAll("[data-step-to]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { show(b.dataset.stepTo); });
    });
    var bad = firstInvalid(form);
    var step = bad && bad.closest("[data-step]");
    show(step ? step.dataset.step : 1);
  });

  // A refused form: scroll to the first field in error and put the cursor in it.
  var bad = firstInvalid(document);
  if (bad) {
    var field = bad.matches("input, select, textarea") ? bad
      : (bad.closest(".field, fieldset") || bad.parentElement).querySelector("input:not([type=hidden]), select, textarea");
    var target = field || bad;
    if (target.scrollIntoView) target.scrollIntoView({ block: "center" });
    if (field && field.focus) field.focus({ preventScroll: true });
  }

  // Back to a form already sent: the browser renders it again (the pages are no-store), with a
  // new key, so sending it again would save a second time. The key it was sent with is put back,
  // and the server answers with the first result instead.
  var navigation = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
  if (navigation && navigation.type === "back_forward") {
    document.querySelectorAll("form").forEach(function (form) {
      var key = form.querySelector("[data-submission]");
      var sent = key && sessionStorage.getItem(sentKeyName(form));
      if (sent) key.value = sent;
    });
  }

  // A form that writes (it carries the one-time key of {% submission_key %}): once sent, its
  // buttons say "Menyimpan…" and a second tap sends nothing. The server's key holds without this.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var key = form.querySelector && form.querySelector("[data-submission]");
    if (!key || event.defaultPrevented) return;
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    try { sessionStorage.setItem(sentKeyName(form), key.value); } catch (e) { /* storage off: the server still holds */ }
    var pressed = event.submitter;
    // After the browser has read the form: a button disabled now would leave its name=value out.
    setTimeout(function () {
      form.querySelectorAll("button, input[type=submit]").forEach(function (b) {
        if (b.type !== "submit") return;
        b.disabled = true;
        if (b === pressed || !pressed) {
          b.dataset.label = b.textContent;
          b.setAttribute("aria-busy", "true");
          if (b.tagName === "BUTTON") b.textContent = key.dataset.submission;
        }
      });
    }, 0);
  });
});

// The page and form a sent key is remembered under, for this tab only (sessionStorage).
function sentKeyName(form) {
  return "sikube-sent:" + location.pathname + location.search + "|" + (form.getAttribute("action") || "");
}

// Back to a page the browser kept whole (back/forward cache): its form may be sent again (the
// server answers with the first result), so its buttons are ready again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) return;
  document.querySelectorAll("form[data-sending]").forEach(function (form) {
    delete form.dataset.sending;
    form.querySelectorAll("[aria-busy=true]").forEach(function (b) {
      if (b.dataset.label !== undefined && b.tagName === "BUTTON") b.textContent = b.dataset.label;
      b.removeAttribute("aria-busy");
    });
    form.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = false; });
  });
});
