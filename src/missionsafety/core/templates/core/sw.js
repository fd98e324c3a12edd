{% autoescape off %}// Mission Safety service worker: keeps the shell, the static files and the
// report forms of the deployments the user is out on, so that they open
// without a link; keeps a report that could not be sent in the outbox.
// See docs/working-offline.md. Served by /sw.js (missionsafety.core.field_views).
"use strict";
const VERSION = "";
const FILES = {{ files_json }};
const PAGES_URL = "{{ pages_url }}";
const SHELL = "ms-shell-" + VERSION;
const PAGES = "ms-pages";
importScripts("{{ store_url }}");
const store = self.MSField;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(
        names
          .filter((name) => name.startsWith("ms-shell-") && name !== SHELL)
          .map((name) => caches.delete(name))
      )
    ).then(() => self.clients.claim())
  );
});

// Keep the pages of the user now logged in; forget them on log-out.
async function keepPages(user) {
  const response = await fetch(PAGES_URL, { credentials: "same-origin" });
  if (!response.ok || response.redirected) {
    return;
  }
  const manifest = await response.json();
  if (String(manifest.user) !== String(user)) {
    return;
  }
  const kept = await store.getMeta("pages-user");
  if (String(kept) !== String(user)) {
    await caches.delete(PAGES);
  }
  const cache = await caches.open(PAGES);
  for (const url of manifest.pages) {
    const page = await fetch(url, { credentials: "same-origin" });
    if (page.ok && !page.redirected) {
      await cache.put(url, page);
    }
  }
  await store.setMeta("pages-user", user);
  await store.setMeta("pages-at", Date.now());
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "user") {
    event.waitUntil(
      store.setMeta("user", data.user).then(async () => {
        const at = (await store.getMeta("pages-at")) || 0;
        const kept = await store.getMeta("pages-user");
        if (data.refresh || String(kept) !== String(data.user) || Date.now() - at > 3600e3) {
          await keepPages(data.user);
        }
      }).catch(() => undefined)
    );
  } else if (data.type === "forget") {
    event.waitUntil(
      Promise.all([caches.delete(PAGES), store.setMeta("user", ""), store.setMeta("pages-user", "")])
    );
  }
});

async function cachedPage(url) {
  const cache = await caches.open(PAGES);
  return cache.match(url);
}

// A form sent while the link failed: keep it in the outbox when it is a
// report form (it carries an idempotency key), say so plainly otherwise.
async function keepPost(copy) {
  let form = null;
  try {
    form = await copy.formData();
  } catch (error) {
    form = null;
  }
  const user = await store.getMeta("user");
  if (form && user && form.get("idempotency_key")) {
    const page = copy.referrer ? new URL(copy.referrer) : new URL(copy.url);
    const where = page.pathname + page.search;
    await store.queue({
      user: String(user),
      url: new URL(copy.url).pathname,
      page: where,
      key: String(form.get("idempotency_key")),
      title: store.titleOf(Array.from(form.entries())),
      entries: Array.from(form.entries()).filter((entry) => entry[0] !== "csrfmiddlewaretoken"),
    });
    await store.deleteDraft(user, where);
    return (await cachedPage("/offline/?queued=1")) || Response.error();
  }
  return (await cachedPage("/offline/")) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && request.method === "POST") {
    const copy = request.clone();
    event.respondWith(fetch(request).catch(() => keepPost(copy)));
    return;
  }
  if (request.method !== "GET") {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(async () =>
        (await cachedPage(url.pathname + url.search)) ||
        (await cachedPage("/offline/")) ||
        Response.error()
      )
    );
    return;
  }
  if (FILES.includes(url.pathname)) {
    event.respondWith(
      caches.match(request, { cacheName: SHELL }).then((hit) => hit || fetch(request))
    );
  }
});

// Background Sync: the link is back; send what waits, in order, once each.
self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") {
    event.waitUntil(
      store.getMeta("user").then((user) => (user ? store.flush(String(user), "", false) : null))
    );
  }
});
{% endautoescape %}
