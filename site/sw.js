// Service worker, at the root of the site so that its scope covers both the
// checker page and the module's worker (which a service worker controls only
// when it lies within its scope): the checker keeps working offline. Every file is fetched
// from the network when there is one (so updates arrive) and kept in a cache
// for when there is none. Texts are never fetched: checking makes no request.
const CACHE = "vigie-checker";
const FILES = [
  "checker/",
  "checker/index.html",
  "checker/checker.css",
  "checker/checker.mjs",
  "vigie/vigie.mjs",
  "vigie/engine.mjs",
  "vigie/worker.mjs",
  "vigie/wasi.mjs",
  "vigie/dom.mjs",
  "vigie/vigie.wasm",
];
// The sentence model is not in the list: it is fetched only when the reader
// turns it on, and kept then by the fetch handler below like any file.

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request)),
  );
});
