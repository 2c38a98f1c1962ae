// The portal's service worker, for Web Push only (no caching, no fetch handling): shows what
// the notifications service pushes ({title, body, kind, notification_id, url}) and opens the
// page a notice is about when it is clicked. Links stay on the portal's own origin.
"use strict";

function samePortalPath(url) {
  try {
    const parsed = new URL(url, self.location.origin);
    return parsed.origin === self.location.origin ? parsed.pathname + parsed.search : null;
  } catch {
    return null;
  }
}

function notice(data) {
  const message = data && typeof data === "object" ? data : {};
  const title = typeof message.title === "string" && message.title ? message.title : "SCTS portal";
  return {
    title,
    options: {
      body: typeof message.body === "string" ? message.body : "",
      tag: typeof message.notification_id === "string" ? message.notification_id : undefined,
      icon: "/favicon.svg",
      data: { path: (typeof message.url === "string" && samePortalPath(message.url)) || "/me/notifications" },
    },
  };
}

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("push", (event) => {
  let data;
  try {
    data = event.data ? event.data.json() : null;
  } catch {
    data = null;
  }
  const shown = notice(data);
  event.waitUntil(self.registration.showNotification(shown.title, shown.options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const path = samePortalPath((event.notification.data && event.notification.data.path) || "/") || "/";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => samePortalPath(w.url) !== null && "navigate" in w);
      return open ? open.navigate(path).then((w) => (w ? w.focus() : undefined)) : self.clients.openWindow(path);
    }),
  );
});
