/* Broadsheet's service worker (served at /sw.js, scope "/"): shows breaking-
 * news alerts pushed by the site (broadsheet/alerts/sending.py) and opens the
 * story when one is clicked. It caches nothing: pages are the network's.
 *
 * Payload (JSON): {title, body, url, tag, icon}. `tag` is per story, so a
 * repeat replaces the notification instead of adding a second one.
 */
"use strict";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

const sameSite = (url) => {
  try {
    return new URL(url, self.location.origin).origin === self.location.origin;
  } catch {
    return false;
  }
};

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const title = typeof data.title === "string" && data.title ? data.title : self.location.host;
  const url = typeof data.url === "string" && sameSite(data.url) ? data.url : "/";
  const options = {
    body: typeof data.body === "string" ? data.body : "",
    tag: typeof data.tag === "string" ? data.tag : undefined,
    icon: typeof data.icon === "string" && sameSite(data.icon) ? data.icon : undefined,
    renotify: false,
    data: { url },
  };
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || "/", self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const client of windows) {
        if (client.url === url && "focus" in client) return client.focus();
      }
      if (self.clients.openWindow) return self.clients.openWindow(url);
      return undefined;
    })(),
  );
});
