// The console's service worker: keeps the app shell (the page, its styles, its modules and the
// vendor modules) so the console opens with no signal. It never touches /api/v1: data is always
// asked of the server, and writes made offline wait in the page's own queue (js/offline.js).
// The server fills in VERSION and SHELL when it serves this file (src/console/serve-console.ts).
const VERSION = 'dev';
const SHELL = [];
const CACHE = `tuntas-shell-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((path) => new Request(path, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('tuntas-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/health' || url.pathname.startsWith('/docs')) return;
  // Network first, so a deploy shows at once; the kept copy when there is no network.
  event.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok && SHELL.includes(url.pathname)) {
          const copy = res.clone();
          caches.open(CACHE).then((cache) => cache.put(req, copy));
        }
        return res;
      })
      .catch(async () => {
        const cache = await caches.open(CACHE);
        const hit = await cache.match(req, { ignoreSearch: true });
        if (hit) return hit;
        if (req.mode === 'navigate') return (await cache.match('/')) ?? Response.error();
        return Response.error();
      }),
  );
});
