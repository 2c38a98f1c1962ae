// Web Push on this browser: the service worker (/push-worker.js) shows what the
// notifications service pushes. Enabling asks the person's permission, subscribes with the
// service's VAPID key and registers the subscription with the notifications API; disabling
// unsubscribes and removes it. Nothing is stored: the API's subscription id is derived from
// the endpoint (its documented rule), so the browser finds its own registration.
import { unwrap, type ApiClients } from "../api/client";

export const WORKER = "/push-worker.js";

export function pushSupported(): boolean {
  return typeof window !== "undefined" && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

/** The applicationServerKey from its base64url text. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The API's id of a subscription: the first 32 hex digits of the endpoint's SHA-256. */
export async function subscriptionId(endpoint: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(endpoint));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 32);
}

async function browserSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration("/");
  return registration ? registration.pushManager.getSubscription() : null;
}

/** Whether this browser's subscription is registered for the signed-in person, and how
 *  many browsers are registered for them. */
export async function pushStatus(api: ApiClients): Promise<{ enabled: boolean; registered: number }> {
  const mine = await unwrap(api.notifications.GET("/v1/me/push-subscriptions"));
  const registered = mine.items.length;
  if (!pushSupported() || Notification.permission !== "granted") return { enabled: false, registered };
  const subscription = await browserSubscription();
  if (!subscription) return { enabled: false, registered };
  const id = await subscriptionId(subscription.endpoint);
  return { enabled: mine.items.some((s) => s.subscription_id === id), registered };
}

export class PushRefused extends Error {}

async function releaseForeign(api: ApiClients, held: PushSubscription | null): Promise<boolean> {
  if (!held) return false;
  const mine = await unwrap(api.notifications.GET("/v1/me/push-subscriptions"));
  const id = await subscriptionId(held.endpoint);
  if (mine.items.some((s) => s.subscription_id === id)) return false;
  await held.unsubscribe();
  return true;
}

/** After a sign-in: end this browser's push subscription when it is not the signed-in
 *  person's. Someone whose session here ended without signing out (tab closed, session
 *  expired) left it; their notices would keep showing to whoever uses the browser now.
 *  Their registration cannot be removed without their token; once the browser has ended
 *  the subscription, the push service refuses it and notifications drop it. Answers
 *  whether one was ended. */
export async function releaseForeignPush(api: ApiClients): Promise<boolean> {
  if (!pushSupported()) return false;
  return releaseForeign(api, await browserSubscription());
}

export async function enablePush(api: ApiClients): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") {
    throw new PushRefused(
      permission === "denied"
        ? "Notifications are blocked for this site in your browser's settings."
        : "Push needs your permission to show notifications.",
    );
  }
  const registration = await navigator.serviceWorker.register(WORKER, { scope: "/" });
  await navigator.serviceWorker.ready;
  // `subscribe` answers the subscription the browser already holds: someone else's would
  // be registered for this person too. It is ended first; the person gets their own.
  await releaseForeign(api, await registration.pushManager.getSubscription());
  const { public_key } = await unwrap(api.notifications.GET("/v1/push/vapid-public-key"));
  const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(public_key) });
  const { endpoint, keys } = subscription.toJSON();
  if (!endpoint || !keys?.p256dh || !keys.auth) throw new PushRefused("The browser gave no usable push subscription.");
  await unwrap(
    api.notifications.POST("/v1/me/push-subscriptions", {
      body: { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth }, label: browserLabel() },
    }),
  );
}

export async function disablePush(api: ApiClients): Promise<void> {
  const subscription = await browserSubscription();
  if (!subscription) return;
  const id = await subscriptionId(subscription.endpoint);
  await subscription.unsubscribe();
  const { response } = await api.notifications.DELETE("/v1/me/push-subscriptions/{subscription_id}", {
    params: { path: { subscription_id: id } },
  });
  if (!response.ok && response.status !== 404) throw new PushRefused("The subscription could not be removed; try again.");
}

function browserLabel(): string {
  const agent = navigator.userAgent;
  const browser = /Edg\//.test(agent) ? "Edge" : /Firefox\//.test(agent) ? "Firefox" : /Chrome|Chromium/.test(agent) ? "Chrome" : /Safari\//.test(agent) ? "Safari" : "Browser";
  const device = /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS" : /Mac OS X/.test(agent) ? "macOS" : /Windows/.test(agent) ? "Windows" : /Linux/.test(agent) ? "Linux" : "this device";
  return `${browser} on ${device}`;
}
