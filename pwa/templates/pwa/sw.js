{% autoescape off %}/* SIKUBE's service worker (pwa/views.py serves it from /sw.js, scope /).

Hand-written rather than Workbox: it keeps only the static files and the pages that are the same
for every user (the offline page and the shells of the offline forms), which is easier to
guarantee in these few lines than in Workbox's runtime routes. No page of a user (a member with a
NIK, a cash book, a balance) and no API answer is ever put in its cache, so nothing of one user is
served to another; every other request goes to the network untouched. */
"use strict";

const VERSION = "{{ version }}";
const CACHE = "sikube-" + VERSION;
const PRECACHE = {{ precache }};
const SHELLS = {{ shells }};  // a path: the shell page that serves it when the network fails
const OFFLINE = {{ offline }};
const STATIC_URL = {{ static_url }};
const KEPT_PAGES = new Set(PRECACHE.filter((u) => !u.startsWith(STATIC_URL)));

/* Only a same-origin static file or one of the shared pages, answered 200, never `no-store`. */
function keepable(request, response) {
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !response || response.status !== 200) return false;
  if (response.type !== "basic" || response.redirected) return false;
  if (/no-store/i.test(response.headers.get("Cache-Control") || "")) return false;
  return url.pathname.startsWith(STATIC_URL) || KEPT_PAGES.has(url.pathname);
}

async function put(request, response) {
  if (!keepable(request, response)) return;
  const cache = await caches.open(CACHE);
  await cache.put(request, response.clone());
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    for (const url of PRECACHE) {
      try {
        const request = new Request(url, { credentials: "omit", cache: "reload" });
        await put(request, await fetch(request));
      } catch (err) { /* offline while installing: the next visit fills it */ }
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function fromCache(path) {
  const cache = await caches.open(CACHE);
  return cache.match(path, { ignoreSearch: true });
}

/* Static files: the cache first (their names change with their content in production). */
async function staticFile(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  await put(request, response);
  return response;
}

/* A shell: the kept copy at once (it holds no data), refreshed behind it when online. */
async function shell(request, path) {
  const kept = await fromCache(path);
  const fresh = fetch(new Request(path, { credentials: "omit" }))
    .then(async (response) => { await put(new Request(path), response.clone()); return response; })
    .catch(() => null);
  if (kept) return kept;
  return (await fresh) || (await fromCache(OFFLINE)) || Response.error();
}

/* Any other page: always the network; when it fails, the offline page (never a kept page of a user). */
async function page(request) {
  try {
    return await fetch(request);
  } catch (err) {
    return (await fromCache(OFFLINE)) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate" && SHELLS[url.pathname]) {
    event.respondWith(shell(request, SHELLS[url.pathname]));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
  /* everything else (the API, downloads): straight to the network, never kept */
});
{% endautoescape %}
