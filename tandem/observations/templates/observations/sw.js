/* Tandem's observation tools, offline: this service worker keeps the tool pages and the
   files they need, so that they open and reload with no network.

   - Tool pages (/observations/tools/…): from the network while online, kept in the cache
     as they come; from the cache when the network fails or the page says it is offline.
   - Their static files: from the cache first (the cache's name changes with them).
   - Everything else (the API, the session pages with their coaching content) is left
     alone: it is never cached here. What a person records is not in this cache either:
     it is in IndexedDB (store.js) until it is synced, then cleared.

   While a page of ours reports that the browser is offline, this worker does not try the
   network at all: a classroom's "connected but nothing gets through" costs no waiting. */
"use strict";

const VERSION = "{{ version }}";
const CACHE = "tandem-observations-" + VERSION;
const PRECACHE = {{ precache|safe }};
const FALLBACK = {{ pages|safe }};
const STATIC_PREFIX = {{ static_prefix|safe }};
const TOOLS_PREFIX = FALLBACK;
let offline = false;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        cache.addAll(PRECACHE.map((url) => new Request(url, { credentials: "same-origin" }))),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("tandem-observations-") && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "network") {
    offline = !event.data.online;
  }
});

function isOffline() {
  return offline || self.navigator.onLine === false;
}

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  // Django varies pages on the cookie and the language; the worker keeps one copy of each.
  const options = { ignoreSearch: request.mode === "navigate", ignoreVary: true };
  const found = await cache.match(request, options);
  if (found) return found;
  if (request.mode === "navigate") {
    const fallback = await cache.match(FALLBACK, { ignoreVary: true });
    if (fallback) return fallback;
  }
  return Response.error();
}

async function page(request) {
  if (isOffline()) return fromCache(request);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    return fromCache(request);
  }
}

async function file(request) {
  const cache = await caches.open(CACHE);
  const found = await cache.match(request, { ignoreVary: true });
  if (found || isOffline()) return found || Response.error();
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith(TOOLS_PREFIX)) {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(file(request));
  }
});
