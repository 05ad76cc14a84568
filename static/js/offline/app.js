/* SIKUBE offline: the phone's outbox (IndexedDB), the data snapshot, sending, the header count,
   the service worker and "Pasang aplikasi". Loaded on every page (templates/base.html) and on the
   offline shells (pwa/templates/pwa/shell.html).

   Every item saved offline goes into the outbox with the id of the user who saved it and its own
   Idempotency-Key, made when it is saved; it is sent through the JSON API with the session and the
   CSRF header, and the server's idempotency store makes a resend (a lost answer, a dropped
   connection, a second tab) post it once. Only the current user's items are shown or sent: another
   user signing in on the same browser neither sees nor sends them. Nothing is removed unless sent
   or discarded by its user after a confirmation. */
(function () {
  "use strict";

  var DB_NAME = "sikube-offline";
  var SNAPSHOT_URL = "/api/v1/me/offline";
  var SNAPSHOT_MAX_AGE = 5 * 60 * 1000;  // an online visit refreshes an older snapshot
  var KEEP_SENT = 7 * 24 * 3600 * 1000;   // sent items stay visible (with their receipt) for a week
  var dbPromise = null;
  var listeners = [];

  function strings() {
    var el = document.querySelector("template[data-offline-strings]");
    return el ? el.dataset : {};
  }
  function fmt(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (_m, k) { return values[k]; });
  }

  /* --- IndexedDB -------------------------------------------------------------------------- */
  function open() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = function () {
          var db = req.result;
          var outbox = db.createObjectStore("outbox", { keyPath: "id" });
          outbox.createIndex("user", "user");
          db.createObjectStore("snapshots", { keyPath: "user" });
          db.createObjectStore("meta", { keyPath: "k" });
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbPromise;
  }
  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result = work(t.objectStore(store));
        t.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }
  function get(store, key) { return run(store, "readonly", function (s) { return s.get(key); }); }
  function put(store, value) { return run(store, "readwrite", function (s) { return s.put(value); }); }
  function del(store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); }
  function all(store) { return run(store, "readonly", function (s) { return s.getAll(); }); }

  /* --- who is signed in on this browser ----------------------------------------------------- */
  function currentUser() {
    return get("meta", "current").then(function (row) { return row ? row.user : null; });
  }
  /* A new user on this browser: the snapshots of everyone else go (their outboxes stay, hidden). */
  function setCurrentUser(user) {
    return put("meta", { k: "current", user: user }).then(function () {
      return all("snapshots");
    }).then(function (rows) {
      return Promise.all(rows.filter(function (r) { return r.user !== user; })
        .map(function (r) { return del("snapshots", r.user); }));
    });
  }
  function signOut(user) {
    return del("meta", "current").then(function () { return user ? del("snapshots", user) : null; });
  }

  function snapshot() {
    return currentUser().then(function (user) { return user ? get("snapshots", user) : null; });
  }
  function refreshSnapshot(force) {
    if (!navigator.onLine) return Promise.resolve(null);
    return Promise.all([currentUser(), snapshot()]).then(function (known) {
      var held = known[1];
      if (!force && held && known[0] && Date.now() - held.fetched < SNAPSHOT_MAX_AGE && !document.body.dataset.shell) {
        return held;
      }
      return fetch(SNAPSHOT_URL, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          if (r.status === 401) { sessionEnded(true); return null; }
          if (!r.ok) return null;
          sessionEnded(false);
          return r.json().then(function (data) {
            return setCurrentUser(data.user).then(function () {
              var row = { user: data.user, data: data, fetched: Date.now() };
              return put("snapshots", row).then(function () { return row; });
            });
          });
        }).catch(function () { return null; });
    });
  }

  /* --- the outbox --------------------------------------------------------------------------- */
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }
  function items() {
    return Promise.all([currentUser(), all("outbox")]).then(function (got) {
      var user = got[0];
      return got[1].filter(function (i) { return user !== null && i.user === user; })
        .sort(function (a, b) { return a.created - b.created; });
    });
  }
  function waitingCount() {
    return items().then(function (list) {
      return list.filter(function (i) { return i.state !== "sent"; }).length;
    });
  }
  /* Save an item for the current user: {kind, kube, path, body, label, amount, photos}. */
  function add(item) {
    return currentUser().then(function (user) {
      if (!user) throw new Error("no user");
      item.id = uuid();
      item.key = uuid();
      item.user = user;
      item.created = Date.now();
      item.state = "waiting";
      item.photosSent = 0;
      return put("outbox", item).then(changed).then(function () { sync(); return item; });
    });
  }
  /* A corrected item: a new key only when what is sent changed (the old key belongs to the old body). */
  function update(item, body, label) {
    if (JSON.stringify(body) !== JSON.stringify(item.body)) item.key = uuid();
    item.body = body;
    item.label = label || item.label;
    item.state = "waiting";
    item.message = "";
    return put("outbox", item).then(changed).then(function () { sync(); });
  }
  function discard(item) {
    return del("outbox", item.id).then(changed);
  }

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  /* Every item goes with the id of the user who saved it: the server refuses it (409 other_user)
     when the browser's session has since become someone else's (api.middleware.OutboxOwnerMiddleware). */
  function post(path, body, key, isForm, user) {
    var headers = { "X-CSRFToken": csrf(), "Idempotency-Key": key, Accept: "application/json",
                    "X-Outbox-User": String(user) };
    if (!isForm) headers["Content-Type"] = "application/json";
    return fetch(path, { method: "POST", credentials: "same-origin", headers: headers,
                         body: isForm ? body : JSON.stringify(body) })
      .then(function (r) {
        return r.json().catch(function () { return null; }).then(function (data) { return { status: r.status, data: data }; });
      });
  }
  /* What an answer means for the item: done, refused (stays, with the server's words), or try later. */
  function verdict(answer) {
    var s = answer.status, code = answer.data && answer.data.code;
    if (s === 200 || s === 201) return "done";
    if (code === "other_user") return "other";
    if (s === 401 || (s === 403 && code === "csrf_failed")) return "session";
    if (s === 409 || s === 429 || s >= 500) return "later";
    return "refused";
  }
  function refuse(item, answer) {
    item.state = "refused";
    item.message = (answer.data && answer.data.message) || fmt(strings().refusedStatus, { status: answer.status });
    return put("outbox", item);
  }

  function sendOne(item) {
    var first = item.result ? Promise.resolve("done") : (function () {
      item.state = "sending";
      return put("outbox", item).then(function () { return post(item.path, item.body, item.key, false, item.user); })
        .then(function (answer) {
          var v = verdict(answer);
          if (v === "done") {
            item.result = { id: answer.data.id, receipt: answer.data.receipt || "" };
            return put("outbox", item).then(function () { return "done"; });
          }
          if (v === "refused") return refuse(item, answer).then(function () { return "next"; });
          return holdBack(item, v);
        });
    })();
    return first.then(function (v) {
      if (v !== "done") return v;
      return sendPhotos(item);
    }).catch(function () { return holdBack(item, "later"); });  // the network failed
  }
  function sendPhotos(item) {
    var photos = item.photos || [];
    if (item.photosSent >= photos.length) {
      item.state = "sent";
      item.sent = Date.now();
      return put("outbox", item).then(function () { return "next"; });
    }
    var form = new FormData();
    form.append("photo", photos[item.photosSent], "foto-" + (item.photosSent + 1) + ".jpg");
    var path = "/api/v1/visits/" + item.result.id + "/photos";
    return post(path, form, item.key + ":foto:" + item.photosSent, true, item.user).then(function (answer) {
      var v = verdict(answer);
      if (v === "done") { item.photosSent += 1; return put("outbox", item).then(function () { return sendPhotos(item); }); }
      if (v === "refused") return refuse(item, answer).then(function () { return "next"; });
      return holdBack(item, v);
    });
  }
  /* Not now (the session ended, another user's session, try later): the item waits, its key
     unchanged, and the sync stops; "other" tells the sync to learn from the server who is signed in. */
  function holdBack(item, v) {
    if (v === "session") sessionEnded(true);
    item.state = "waiting";
    return put("outbox", item).then(function () { return v === "other" ? "other" : "stop"; });
  }

  var syncing = null;
  function syncNow() {
    return items().then(function (list) {
      var todo = list.filter(function (i) { return i.state === "waiting" || i.state === "sending"; });
      var sent = 0;
      var step = function (n) {
        if (n >= todo.length || !navigator.onLine) return Promise.resolve();
        return sendOne(todo[n]).then(function (v) {
          changed();
          if (todo[n].state === "sent") sent += 1;
          return v === "stop" || v === "other" ? v : step(n + 1);
        });
      };
      // Items sent, or the session is another user's: the server says who is signed in now.
      return step(0).then(function (last) { return sent || last === "other" ? refreshSnapshot(true) : null; });
    });
  }
  /* One sync at a time, also across tabs (Web Locks where the browser has them). */
  function sync() {
    if (syncing || !navigator.onLine) return syncing || Promise.resolve();
    var work = function () { return syncNow(); };
    syncing = (navigator.locks ? navigator.locks.request("sikube-outbox", work) : work())
      .catch(function () { return null; })
      .then(function () { syncing = null; changed(); });
    return syncing;
  }
  function prune() {
    return all("outbox").then(function (list) {
      return Promise.all(list.filter(function (i) { return i.state === "sent" && Date.now() - i.sent > KEEP_SENT; })
        .map(function (i) { return del("outbox", i.id); }));
    });
  }

  /* --- what the page shows ------------------------------------------------------------------ */
  function sessionEnded(ended) {
    document.querySelectorAll("[data-session-note]").forEach(function (el) {
      el.hidden = !ended;
      var link = el.querySelector("[data-login-link]");
      if (link) link.search = "?next=" + encodeURIComponent(location.pathname);
    });
  }
  function netState() {
    document.querySelectorAll("[data-offline-note]").forEach(function (el) { el.hidden = navigator.onLine; });
  }
  function changed() {
    return Promise.all([waitingCount(), items()]).then(function (got) {
      var n = got[0];
      var visits = got[1].some(function (i) { return i.kind === "visit" && i.state !== "sent"; });
      document.querySelectorAll("[data-outbox-count]").forEach(function (el) {
        el.textContent = fmt(strings().count, { n: n });
        el.hidden = n === 0;
        if (visits) el.setAttribute("href", "/app/kunjungan/");
      });
      listeners.forEach(function (fn) { fn(got[1]); });
    });
  }

  /* Signing out with items waiting asks first; signing out forgets the user's snapshot here. */
  function guardSignOut() {
    document.querySelectorAll("form[action$='/akun/keluar/']").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.confirmed) return;
        event.preventDefault();
        Promise.all([waitingCount(), currentUser()]).then(function (got) {
          if (got[0] > 0 && !window.confirm(fmt(strings().logoutConfirm, { n: got[0] }))) return;
          signOut(got[1]).then(function () { form.dataset.confirmed = "1"; form.submit(); });
        });
      });
    });
  }

  /* "Pasang aplikasi": the browser's own prompt where it offers one; on Android without it, the how-to. */
  var deferredPrompt = null;
  function installMenu() {
    var standalone = window.matchMedia && window.matchMedia("(display-mode: standalone)").matches;
    var android = /Android/i.test(navigator.userAgent);
    var show = function () {
      document.querySelectorAll("[data-install]").forEach(function (el) {
        el.hidden = standalone || !(deferredPrompt || android);
      });
      document.querySelectorAll("[data-install-button]").forEach(function (el) { el.hidden = !deferredPrompt; });
    };
    window.addEventListener("beforeinstallprompt", function (event) {
      event.preventDefault();
      deferredPrompt = event;
      show();
    });
    window.addEventListener("appinstalled", function () { deferredPrompt = null; standalone = true; show(); });
    document.addEventListener("click", function (event) {
      var target = event.target.closest && event.target.closest("[data-install] a, [data-install-button]");
      if (!target || !deferredPrompt) return;
      event.preventDefault();
      deferredPrompt.prompt();
      deferredPrompt.userChoice.then(function () { deferredPrompt = null; show(); });
    });
    show();
  }

  /* The outbox list of a shell page: each item with its state, receipt or refusal, fix and discard. */
  function renderOutbox(onFix) {
    var section = document.querySelector("[data-outbox-section]");
    var list = document.querySelector("[data-outbox]");
    var words = document.querySelector("template[data-outbox-strings]");
    if (!section || !list || !words) return;
    var t = words.dataset;
    items().then(function (rows) {
      section.hidden = rows.length === 0;
      list.textContent = "";
      rows.slice().reverse().forEach(function (item) {
        var li = document.createElement("li");
        li.dataset.testid = "outbox-item";
        li.dataset.state = item.state;
        li.className = "outbox-" + item.state;
        var what = document.createElement("strong");
        what.textContent = item.label;
        li.appendChild(what);
        var state = document.createElement("span");
        state.className = "outbox-state";
        state.dataset.testid = "outbox-state";
        if (item.state === "sent") {
          state.textContent = item.result && item.result.receipt ? fmt(t.sent, { receipt: item.result.receipt }) : t.sentVisit;
        } else if (item.state === "refused") {
          state.textContent = t.refused + ": " + item.message + " " + t.refusedHelp;
        } else {
          state.textContent = item.state === "sending" ? t.sending : t.waiting;
        }
        li.appendChild(document.createTextNode(" · "));
        li.appendChild(state);
        if (item.photos && item.photos.length) {
          li.appendChild(document.createTextNode(" · " + fmt(t.photos, { n: item.photos.length })));
        }
        if (item.state === "refused") {
          var actions = document.createElement("div");
          actions.className = "grid";
          if (onFix) {
            var fix = document.createElement("button");
            fix.type = "button";
            fix.textContent = t.fix;
            fix.dataset.testid = "outbox-fix";
            fix.addEventListener("click", function () { onFix(item); });
            actions.appendChild(fix);
          }
          var drop = document.createElement("button");
          drop.type = "button";
          drop.className = "secondary outline";
          drop.textContent = t.discard;
          drop.dataset.testid = "outbox-discard";
          drop.addEventListener("click", function () {
            if (window.confirm(t.discardConfirm)) discard(item);
          });
          actions.appendChild(drop);
          li.appendChild(actions);
        }
        list.appendChild(li);
      });
    });
  }

  function start() {
    if (!window.indexedDB) return;
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { return null; });
    }
    installMenu();
    guardSignOut();
    netState();
    window.addEventListener("online", function () { netState(); refreshSnapshot(true).then(sync); });
    window.addEventListener("offline", netState);
    document.querySelectorAll("[data-send-now]").forEach(function (b) {
      b.addEventListener("click", function () { refreshSnapshot(true).then(sync); });
    });
    var user = document.body.dataset.user ? Number(document.body.dataset.user) : null;
    if (!user && !document.body.dataset.shell) { changed(); return; }  // signed out: nothing to fetch or send
    var ready = user ? currentUser().then(function (known) { return known === user ? null : setCurrentUser(user); })
      : Promise.resolve();
    ready.then(prune).then(function () { return refreshSnapshot(false); })
      .then(function () { changed(); window.dispatchEvent(new Event("sikube:snapshot")); return sync(); });
  }

  window.SikubeOffline = {
    add: add, update: update, discard: discard, items: items, snapshot: snapshot, sync: sync,
    refreshSnapshot: refreshSnapshot, renderOutbox: renderOutbox, onChange: function (fn) { listeners.push(fn); }, strings: strings, fmt: fmt,
    currentUser: currentUser,
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
}());
