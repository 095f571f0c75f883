// The dashboard's service worker: keeps the app shell (index.html, the bundle, styles, manifest,
// icons) so that the installed app opens without the network, e.g. a phone that left the
// workshop's Wi-Fi. It never keeps an /api answer: figures shown are live or not shown. The
// build (scripts/build-dashboard.mjs) writes the shell's file names and their version in place of
// the two placeholders, so a rebuilt dashboard replaces the old shell.
const SHELL = self.__SHELL__;
const CACHE = `kiln-shell-${self.__VERSION__}`;

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('kiln-shell-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/metrics') return;
  if (req.mode === 'navigate') {
    // The network first (a fresh index.html names the newest bundle); the kept shell when offline.
    e.respondWith(fetch(req).catch(() => caches.match('/', { cacheName: CACHE }).then((r) => r ?? Response.error())));
    return;
  }
  if (SHELL.includes(url.pathname)) e.respondWith(caches.match(req, { cacheName: CACHE }).then((r) => r ?? fetch(req)));
});

// A tap on a notification: back to the dashboard (the page it names).
self.addEventListener('notificationclick', (e) => {
  e.notification.close();
  const path = (e.notification.data && e.notification.data.path) || '/';
  e.waitUntil(self.clients.matchAll({ type: 'window' }).then((list) => {
    const open = list.find((c) => new URL(c.url).origin === self.location.origin);
    return open ? open.focus().then((c) => c.navigate(path)) : self.clients.openWindow(path);
  }));
});
