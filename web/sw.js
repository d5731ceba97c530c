// The service worker of Công dân học tập: keeps the application's shell (its page, styles,
// scripts and wasm) on the device, so that the next visit starts without downloading it again,
// even over a slow connection. The API is never answered from here: data always comes from the
// server. `cargo xtask build-web` fills in the version and the list of assets.

const VERSION = "%VERSION%";
const CACHE = `cdht-shell-${VERSION}`;
const ASSETS = %ASSETS%;
const SHELL = "/index.html";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([SHELL, ...ASSETS]))
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
            .filter((name) => name.startsWith("cdht-shell-") && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

/** Paths the server answers itself, never with the application's page. */
function isServerPath(path) {
  return (
    path === "/api" ||
    path.startsWith("/api/") ||
    path.startsWith("/health/") ||
    path === "/metrics" ||
    path === "/sw.js"
  );
}

/** Pages served by the small public bundle, not the application's shell. */
function isPublicPage(path) {
  return path === "/login" || path.startsWith("/verify/");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isServerPath(url.pathname)) return;

  // Assets are named after their content: the copy kept is always right.
  if (url.pathname.startsWith("/assets/")) {
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(request).then(
          (kept) =>
            kept ||
            fetch(request).then((response) => {
              if (response.ok) cache.put(request, response.clone());
              return response;
            }),
        ),
      ),
    );
    return;
  }

  // A page of the application: the network first, so that a new version is seen at once, and
  // the kept shell when the network fails.
  if (request.mode === "navigate" && !isPublicPage(url.pathname)) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(SHELL, copy));
          }
          return response;
        })
        .catch(() =>
          caches.match(SHELL).then((kept) => kept || Response.error()),
        ),
    );
  }
});
