/* The mentor's offline visit form (/app/kunjungan/): attendance, book audit, a follow-up and photos
   for an assigned group, into the outbox (app.js); the visit is sent once, then each photo once.
   Photos are made smaller on the phone (a canvas, at most MAX_SIDE px, JPEG) before they are kept:
   a village's signal cannot carry a 12-megapixel original, and the server keeps 1600 px anyway. */
(function () {
  "use strict";
  var O = window.SikubeOffline;
  var form = document.querySelector("[data-visit-form]");
  var t = document.querySelector("template[data-visit-strings]").dataset;
  var MAX_PHOTOS = 4;
  var MAX_SIDE = 1600;          // mentoring.services.PHOTO_MAX_SIDE
  var MAX_BYTES = 1536 * 1024;  // each photo as kept on the phone
  var data = null;
  var fixing = null;  // the refused visit being corrected (its photos stay with it)

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }
  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    select.appendChild(o);
  }
  function checkbox(parent, name, value, text, testid) {
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = name;
    box.value = value;
    if (testid) box.dataset.testid = testid;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + text));
    parent.appendChild(label);
    return box;
  }
  function groupOf(id) { return data.groups.filter(function (g) { return g.id === id; })[0]; }

  function showMembers() {
    var group = groupOf(Number(form.elements.kube.value));
    var present = form.querySelector("[data-present]");
    present.querySelectorAll("label").forEach(function (l) { l.remove(); });
    var person = form.elements.fu_person;
    person.textContent = "";
    option(person, "", t.nobody);
    (group ? group.members : []).forEach(function (m) {
      checkbox(present, "present", m.id, m.number + ". " + m.name, "present-" + m.number);
      option(person, m.id, m.number + ". " + m.name);
    });
  }
  function show() {
    O.snapshot().then(function (row) {
      var groups = row ? row.data.groups.filter(function (g) { return g.visits; }) : [];
      document.querySelector("[data-no-snapshot]").hidden = groups.length > 0;
      form.hidden = groups.length === 0;
      if (!groups.length) return;
      data = { groups: groups, kinds: row.data.visit_kinds, books: row.data.books };
      document.querySelector("[data-truncated]").hidden = !row.data.truncated;
      var kube = form.elements.kube, chosen = kube.value;
      kube.textContent = "";
      groups.forEach(function (g) { option(kube, g.id, g.name); });
      if (chosen && groupOf(Number(chosen))) kube.value = chosen;
      var kind = form.elements.kind;
      if (!kind.options.length) data.kinds.forEach(function (k) { option(kind, k.code, k.label); });
      var audits = form.querySelector("[data-audits]");
      if (!audits.querySelector("[data-book]")) {
        data.books.forEach(function (b) {
          var row2 = document.createElement("div");
          row2.dataset.book = b.code;
          row2.appendChild(document.createTextNode(b.label + ": "));
          checkbox(row2, "checked", b.code, t.checked, "audit-checked-" + b.code);
          checkbox(row2, "in_order", b.code, t.inOrder, "audit-order-" + b.code);
          audits.appendChild(row2);
        });
      }
      if (!form.elements.date.value) form.elements.date.value = today();
      showMembers();
    });
  }

  /* A photo as a JPEG of at most MAX_SIDE px on its longer side. */
  function shrink(file) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.8); });
    }).then(function (blob) {
      if (!blob) throw new Error("unreadable");
      if (blob.size > MAX_BYTES) throw new Error("too large");
      return blob;
    });
  }
  function error(name, text) {
    var el = form.querySelector("[data-error='" + name + "']");
    if (el) el.textContent = text || "";
  }

  function save(event) {
    event.preventDefault();
    var f = form.elements;
    var problems = { date: f.date.value ? "" : t.needDate, place: f.place.value.trim() ? "" : t.needPlace,
                     problems: f.problems.value.trim() ? "" : t.needProblems,
                     fu_due: f.fu_action.value.trim() && !f.fu_due.value ? t.needDue : "",
                     photos: f.photos.files.length > MAX_PHOTOS ? t.tooManyPhotos : "" };
    Object.keys(problems).forEach(function (k) { error(k, problems[k]); });
    if (Object.keys(problems).some(function (k) { return problems[k]; })) return;
    var checked = {}, inOrder = {};
    form.querySelectorAll("input[name=checked]:checked").forEach(function (b) { checked[b.value] = true; });
    form.querySelectorAll("input[name=in_order]:checked").forEach(function (b) { inOrder[b.value] = true; });
    var audits = data.books.filter(function (b) { return checked[b.code] || inOrder[b.code]; }).map(function (b) {
      return { book: b.code, checked: !!checked[b.code], in_order: !!inOrder[b.code], findings: "" };
    });
    var kube = Number(f.kube.value);
    var body = {
      kube: kube, date: f.date.value, kind: f.kind.value, place: f.place.value.trim(),
      problems: f.problems.value.trim(), solutions: f.solutions.value.trim(),
      present: Array.prototype.map.call(form.querySelectorAll("input[name=present]:checked"), function (b) { return Number(b.value); }),
      audits: audits, follow_ups: [],
    };
    if (f.fu_action.value.trim()) {
      body.follow_ups.push({ action: f.fu_action.value.trim(), person: f.fu_person.value ? Number(f.fu_person.value) : null,
                             due_on: f.fu_due.value || null });
    }
    var label = O.fmt(t.label, { group: groupOf(kube).name, date: body.date });
    var saved = fixing ? O.update(fixing, body, label)
      : Promise.all(Array.prototype.map.call(f.photos.files, shrink)).then(function (photos) {
        return O.add({ kind: "visit", kube: kube, path: "/api/v1/visits", body: body, label: label, photos: photos });
      });
    saved.then(function () {
      fixing = null;
      form.reset();
      f.date.value = today();
      f.kube.value = String(kube);
      showMembers();
    }).catch(function () { error("photos", t.photoUnreadable); });
  }

  /* A refused visit back in the form, as it was saved, to be corrected and sent again (a new key
     only if something changed: app.js update). */
  function fix(item) {
    var b = item.body, f = form.elements;
    if (!data || !groupOf(b.kube)) return;
    fixing = item;
    f.kube.value = String(b.kube);
    showMembers();
    f.date.value = b.date;
    f.kind.value = b.kind;
    f.place.value = b.place;
    f.problems.value = b.problems;
    f.solutions.value = b.solutions || "";
    form.querySelectorAll("input[name=present]").forEach(function (box) {
      box.checked = b.present.indexOf(Number(box.value)) >= 0;
    });
    form.querySelectorAll("input[name=checked], input[name=in_order]").forEach(function (box) {
      var field = box.name === "checked" ? "checked" : "in_order";
      box.checked = b.audits.some(function (a) { return a.book === box.value && a[field]; });
    });
    var fu = b.follow_ups[0];
    f.fu_action.value = fu ? fu.action : "";
    f.fu_person.value = fu && fu.person ? String(fu.person) : "";
    f.fu_due.value = fu && fu.due_on ? fu.due_on : "";
    form.scrollIntoView();
    f.date.focus();
  }

  form.elements.kube.addEventListener("change", showMembers);
  form.addEventListener("submit", save);
  O.onChange(function () { O.renderOutbox(fix); });
  window.addEventListener("sikube:snapshot", show);
  show();
  O.renderOutbox(fix);
}());
