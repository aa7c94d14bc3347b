/* The phone app's service worker: the app's own files (under /phone/) network first, kept in a
   cache for when the phone is offline; API calls (/v1/...) and anything else are never touched,
   so never cached. */
var CACHE = "sbc-phone-v3";
var SHELL = ["./", "app.js", "scan.js", "phone.css", "i18n/zh.js", "manifest.webmanifest", "icon-192.png", "icon-512.png"];

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (e) {
  var url = new URL(e.request.url);
  var shell = e.request.method === "GET" && url.origin === self.location.origin && url.pathname.indexOf("/phone/") === 0;
  if (!shell) return; // the network, uncached
  e.respondWith(fetch(e.request).then(function (res) {
    // A domain's screens file is kept once loaded (no list here names them).
    if (res.ok) {
      var copy = res.clone();
      caches.open(CACHE).then(function (c) { c.put(e.request, copy); });
    }
    return res;
  }, function () {
    return caches.match(e.request, { ignoreSearch: true }).then(function (hit) {
      return hit || (e.request.mode === "navigate" ? caches.match("./") : Response.error());
    });
  }));
});

/* Web Push: a push message for the household while the app is closed (the gateway sends
   {id, kind, title, body, opens}, encrypted for this phone); a click opens what it is about. */
self.addEventListener("push", function (e) {
  var m = {};
  try { m = e.data ? e.data.json() : {}; } catch (err) { m = {}; }
  e.waitUntil(self.registration.showNotification(m.title || "秀洲智慧广电", { body: m.body || "", tag: m.id || undefined, lang: "zh-CN", icon: "icon-192.png", data: { opens: m.opens || "" } }));
});

self.addEventListener("notificationclick", function (e) {
  e.notification.close();
  var opens = (e.notification.data && e.notification.data.opens) || "";
  var url = opens ? "./#opens=" + encodeURIComponent(opens) : "./";
  e.waitUntil(self.clients.matchAll({ type: "window" }).then(function (open) {
    for (var i = 0; i < open.length; i++) {
      if (open[i].url.indexOf("/phone/") < 0) continue;
      return opens && open[i].navigate ? open[i].navigate(url).then(function (c) { return c && c.focus(); }) : open[i].focus();
    }
    return self.clients.openWindow(url);
  }));
});
