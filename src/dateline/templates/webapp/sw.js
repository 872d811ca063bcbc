// The site's service worker: pages from the network first (a reader online never gets an
// old copy), the last stories the reader opened kept for reading offline, hashed static
// files from the cache. Release {{ release }}.
const RELEASE = "{{ release }}";
const SHELL = `shell-${RELEASE}`;
const STORIES = "stories";
const KEPT_STORIES = {{ kept_stories }};
const OFFLINE_PAGES = {{ offline_pages|safe }};
const SHELL_FILES = {{ shell_files|safe }};
const DEFAULT_LANGUAGE = "{{ default_language }}";
const STATIC_PREFIX = {{ static_prefix|safe }};
const NOT_SECTIONS = new Set({{ not_sections|safe }});
const ICON = {{ icon|safe }};
// A name that ManifestStaticFilesStorage gave a hash: its content never changes.
const HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) => cache.addAll([...Object.values(OFFLINE_PAGES), ...SHELL_FILES])).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("shell-") && name !== SHELL).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

function languageOf(path) {
  const first = path.split("/")[1];
  return first in OFFLINE_PAGES ? first : DEFAULT_LANGUAGE;
}

// /<language>/<section>/<story>/ and nothing else.
function isStory(path) {
  const parts = path.split("/");
  return parts.length === 5 && parts[4] === "" && parts[1] in OFFLINE_PAGES && !NOT_SECTIONS.has(parts[2]);
}

async function keep(path, response) {
  const cache = await caches.open(STORIES);
  await cache.delete(path);
  await cache.put(path, response);
  const kept = await cache.keys();
  for (const old of kept.slice(0, Math.max(0, kept.length - KEPT_STORIES))) {
    await cache.delete(old);
  }
}

async function page(event, url) {
  try {
    const response = await fetch(event.request);
    const cacheControl = response.headers.get("Cache-Control") || "";
    if (response.ok && response.type === "basic" && isStory(url.pathname) && !cacheControl.includes("private")) {
      event.waitUntil(keep(url.pathname, response.clone()));
    }
    return response;
  } catch (offline) {
    const story = await caches.match(url.pathname, { cacheName: STORIES });
    if (story) {
      return story;
    }
    const fallback = await caches.match(OFFLINE_PAGES[languageOf(url.pathname)], { cacheName: SHELL });
    return fallback || Response.error();
  }
}

async function staticFile(request) {
  const cached = await caches.match(request, { cacheName: SHELL });
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  } else if (url.pathname.startsWith(STATIC_PREFIX) && HASHED.test(url.pathname)) {
    event.respondWith(staticFile(request));
  }
});

// Web push: an alert shows as a notification with the story's headline, standfirst and
// picture; its tag makes a second push of the same story replace the first. Opening it
// opens the story, and adds one to the alert's count of opened notifications.
self.addEventListener("push", (event) => {
  let alert = {};
  try {
    alert = event.data ? event.data.json() : {};
  } catch {
    return;
  }
  if (!alert.title) {
    return;
  }
  event.waitUntil(
    self.registration.showNotification(alert.title, {
      body: alert.body || "",
      tag: alert.tag,
      icon: ICON,
      image: alert.image || undefined,
      data: { url: alert.url || "/", alert: alert.alert },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const { url, alert } = event.notification.data || {};
  const counted = alert ? fetch(`/push/opened/${Number(alert)}/`, { method: "POST" }).catch(() => null) : null;
  event.waitUntil(Promise.all([counted, self.clients.openWindow(url || "/")]));
});
