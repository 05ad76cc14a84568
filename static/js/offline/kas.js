/* The treasurer's offline cash page (/app/kas/): quick entries and a member's savings deposit into
   the outbox (app.js), with the checks that can be made on the phone: a whole, positive number of
   Rupiah, a date; the server makes the rest (closed month, cash below zero, member left) after sync. */
(function () {
  "use strict";
  var O = window.SikubeOffline;
  var form = document.querySelector("[data-entry-form]");
  var group = null;
  var kind = null;
  var fixing = null;  // the refused item being corrected

  function rupiah(n) { return "Rp" + Number(n).toLocaleString("id-ID"); }
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }
  /* "75000", "75.000", "Rp 75.000" are 75000; "75.000,50", "75,5" or "-5" are not whole Rupiah. */
  function parseAmount(text) {
    var s = O.strings();
    var t = String(text || "").trim().replace(/^rp\.?\s*/i, "").replace(/\s+/g, "");
    if (!t) return { error: s.needAmount };
    if (/^\d{1,3}(\.\d{3})+$/.test(t)) t = t.replace(/\./g, "");
    if (!/^\d+$/.test(t)) return { error: s.badAmount };
    var n = Number(t);
    if (!(n > 0) || !Number.isSafeInteger(n)) return { error: n > 0 ? s.badAmount : s.notPositive };
    return { value: n };
  }
  function kindLabel(code) {
    var b = document.querySelector("[data-kind='" + code + "']");
    return b ? b.textContent.trim() : code;
  }
  function showError(name, text) {
    var el = form.querySelector("[data-error='" + name + "']");
    if (el) el.textContent = text || "";
    var input = form.elements[name];
    if (input) input.setAttribute("aria-invalid", text ? "true" : "false");
  }

  function openForm(code, item) {
    kind = code;
    fixing = item || null;
    form.hidden = false;
    form.querySelector("[data-form-title]").textContent = kindLabel(code);
    var deposit = code === "deposit";
    form.querySelector("[data-member-field]").hidden = !deposit;
    form.querySelector("[data-via-field]").hidden = deposit;
    var select = form.elements.member;
    select.textContent = "";
    (group.members || []).forEach(function (m) {
      var o = document.createElement("option");
      o.value = m.id;
      o.textContent = m.number + ". " + m.name;
      select.appendChild(o);
    });
    var body = item ? item.body : {};
    form.elements.amount.value = body.amount ? String(body.amount) : "";
    form.elements.date.value = body.date || today();
    form.elements.description.value = body.description || "";
    form.elements.via.value = body.via || "cash";
    if (body.member) select.value = String(body.member);
    ["amount", "date", "description"].forEach(function (n) { showError(n, ""); });
    form.elements.amount.focus();
  }

  function save(event) {
    event.preventDefault();
    var s = O.strings();
    var amount = parseAmount(form.elements.amount.value);
    var date = form.elements.date.value;
    showError("amount", amount.error);
    showError("date", date ? "" : s.needDate);
    if (amount.error || !date) return;
    var body, path, label;
    if (kind === "deposit") {
      var member = Number(form.elements.member.value);
      var who = (group.members || []).filter(function (m) { return m.id === member; })[0];
      body = { member: member, kind: "deposit", amount: amount.value, date: date };
      path = "/api/v1/groups/" + group.id + "/savings";
      label = kindLabel(kind) + " " + (who ? who.name : "") + " " + rupiah(amount.value) + " · " + date;
    } else {
      body = { kind: kind, amount: amount.value, date: date, via: form.elements.via.value,
               description: form.elements.description.value.trim() || kindLabel(kind) };
      path = "/api/v1/groups/" + group.id + "/transactions";
      label = kindLabel(kind) + " " + rupiah(amount.value) + " · " + date;
    }
    var done = fixing ? O.update(fixing, body, label)
      : O.add({ kind: kind === "deposit" ? "saving" : "entry", kube: group.id, path: path, body: body, label: label });
    done.then(function () { form.hidden = true; fixing = null; form.reset(); });
  }

  function showGroup() {
    O.snapshot().then(function (row) {
      var groups = row ? row.data.groups.filter(function (g) { return g.books; }) : [];
      group = groups[0] || null;
      document.querySelector("[data-no-snapshot]").hidden = !!group;
      document.querySelector("[data-group]").hidden = !group;
      if (!group) return;
      document.querySelector("[data-testid=kas-group]").textContent = group.name;
      document.querySelector("[data-testid=kas-cash]").textContent = rupiah(group.cash || 0);
      var when = new Date(row.data.as_of).toLocaleString("id-ID", { dateStyle: "medium", timeStyle: "short" });
      document.querySelector("[data-testid=kas-as-of]").textContent = O.fmt(O.strings().asOf, { time: when });
    });
  }

  document.querySelectorAll("[data-kind]").forEach(function (b) {
    b.addEventListener("click", function () { if (group) openForm(b.dataset.kind); });
  });
  form.addEventListener("submit", save);
  form.querySelector("[data-cancel]").addEventListener("click", function () { form.hidden = true; fixing = null; });
  function fix(item) { openForm(item.kind === "saving" ? "deposit" : item.body.kind, item); }
  O.onChange(function () { showGroup(); O.renderOutbox(fix); });
  window.addEventListener("sikube:snapshot", showGroup);
  showGroup();
  O.renderOutbox(fix);
}());
