import { afterEach, describe, expect, it, vi } from "vitest";
import source from "../../public/push-worker.js?raw";
import type { ApiClients } from "../api/client";
import { enablePush, keyBytes, releaseForeignPush, subscriptionId } from "./push";

describe("push", () => {
  it("derives the API's subscription id from the endpoint (the service's documented rule)", async () => {
    // services.notifications.logic.push_subscriptions.subscription_id of the same endpoint
    expect(await subscriptionId("http://127.0.0.1:34005/push/abc")).toBe("ba7413e2d8245b828cdbd8e09fc1cdce");
  });

  it("reads a base64url applicationServerKey", () => {
    expect([...keyBytes("AQID_w")]).toEqual([1, 2, 3, 255]);
    expect(keyBytes("BPsQ".padEnd(87, "A")).length).toBe(65);
  });
});

type Listener = (event: Record<string, unknown>) => void;

function worker(origin = "https://portal.example") {
  const listeners: Record<string, Listener> = {};
  const shown: { title: string; options: Record<string, unknown> }[] = [];
  const navigated: string[] = [];
  const opened: string[] = [];
  const windows: { url: string; navigate: (p: string) => Promise<{ focus: () => void }> }[] = [];
  const self = {
    location: { origin },
    addEventListener: (name: string, listener: Listener) => {
      listeners[name] = listener;
    },
    skipWaiting: vi.fn(),
    registration: {
      showNotification: (title: string, options: Record<string, unknown>) => {
        shown.push({ title, options });
        return Promise.resolve();
      },
    },
    clients: {
      claim: () => Promise.resolve(),
      matchAll: () => Promise.resolve(windows),
      openWindow: (path: string) => {
        opened.push(path);
        return Promise.resolve(null);
      },
    },
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const run = new Function("self", source) as (scope: typeof self) => void;
  run(self);
  async function push(data: unknown) {
    let done: Promise<unknown> = Promise.resolve();
    listeners.push?.({ data: { json: () => data }, waitUntil: (p: Promise<unknown>) => (done = p) });
    await done;
  }
  async function click(index = 0) {
    let done: Promise<unknown> = Promise.resolve();
    const n = shown[index];
    listeners.notificationclick?.({ notification: { close: vi.fn(), data: n?.options.data }, waitUntil: (p: Promise<unknown>) => (done = p) });
    await done;
  }
  return { shown, opened, navigated, windows, push, click };
}

describe("the push service worker", () => {
  it("shows the pushed notice and opens the page it is about", async () => {
    const w = worker();
    await w.push({ title: "Trade T-1 executed", body: "Bought 10 MWh.", notification_id: "n1", url: "https://portal.example/accounts/a1/trades/T-1" });
    expect(w.shown).toEqual([
      { title: "Trade T-1 executed", options: expect.objectContaining({ body: "Bought 10 MWh.", tag: "n1", data: { path: "/accounts/a1/trades/T-1" } }) as unknown },
    ]);
    await w.click();
    expect(w.opened).toEqual(["/accounts/a1/trades/T-1"]);
  });

  it("navigates an open portal window instead of opening another", async () => {
    const w = worker();
    const focus = vi.fn();
    const navigate = vi.fn((p: string) => {
      w.navigated.push(p);
      return Promise.resolve({ focus });
    });
    w.windows.push({ url: "https://portal.example/me/notifications", navigate });
    await w.push({ title: "Invoice I-1 overdue", url: "https://portal.example/accounts/a1/invoices/I-1" });
    await w.click();
    expect(w.navigated).toEqual(["/accounts/a1/invoices/I-1"]);
    expect(focus).toHaveBeenCalled();
    expect(w.opened).toEqual([]);
  });

  it("never leads off the portal and survives a payload without words", async () => {
    const w = worker();
    await w.push({ title: "x", url: "https://evil.example/phish" });
    await w.push(null);
    expect(w.shown.map((s) => s.options.data)).toEqual([{ path: "/me/notifications" }, { path: "/me/notifications" }]);
    expect(w.shown[1]?.title).toBe("SCTS portal");
  });
});

/** A browser's push manager as the Push API specifies it: `subscribe` with the same key
 *  answers the subscription the browser already holds (same endpoint); a new endpoint only
 *  after an unsubscribe. */
function pushBrowser(existingEndpoint: string | null) {
  let created = 0;
  const events: string[] = [];
  const make = (endpoint: string) => ({
    endpoint,
    unsubscribe: () => {
      events.push(`unsubscribed ${endpoint}`);
      if (current?.endpoint === endpoint) current = null;
      return Promise.resolve(true);
    },
    toJSON: () => ({ endpoint, keys: { p256dh: "BPsQ".padEnd(87, "A"), auth: "AAAAAAAAAAAAAAAAAAAAAA" } }),
  });
  let current: ReturnType<typeof make> | null = existingEndpoint ? make(existingEndpoint) : null;
  const pushManager = {
    getSubscription: () => Promise.resolve(current),
    subscribe: () => {
      current ??= make(`https://fcm.googleapis.com/fcm/send/new-${String(++created)}`);
      return Promise.resolve(current);
    },
  };
  const registration = { pushManager };
  const notification = { permission: "granted", requestPermission: () => Promise.resolve("granted") };
  vi.stubGlobal("Notification", notification);
  vi.stubGlobal("window", { PushManager: {}, Notification: notification });
  vi.stubGlobal("navigator", {
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140",
    serviceWorker: {
      register: () => Promise.resolve(registration),
      ready: Promise.resolve(registration),
      getRegistration: () => Promise.resolve(registration),
    },
  });
  return { events };
}

/** The notifications API for a person whose registered browsers are `mine` (ids). */
function pushApi(mine: string[]) {
  const registered: string[] = [];
  const ok = (data: unknown) => Promise.resolve({ data, response: new Response(null, { status: 200 }) });
  const api = {
    notifications: {
      GET: (path: string) =>
        path === "/v1/push/vapid-public-key"
          ? ok({ public_key: "BPsQ".padEnd(87, "A") })
          : ok({ items: mine.map((subscription_id) => ({ subscription_id })) }),
      POST: (_path: string, options: { body: { endpoint: string } }) => {
        registered.push(options.body.endpoint);
        return ok({});
      },
    },
  } as unknown as ApiClients;
  return { api, registered };
}

describe("switching push on", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const PREVIOUS = "https://fcm.googleapis.com/fcm/send/previous-person";

  it("never registers the previous person's subscription of this browser for the next person", async () => {
    // someone else's session ended here without signing out (tab closed, session expired):
    // their subscription is still the browser's; registering it for the next person would
    // push both people's notices to it
    const browser = pushBrowser(PREVIOUS);
    const { api, registered } = pushApi([]);
    await enablePush(api);
    expect(registered).toHaveLength(1);
    expect(registered[0]).not.toBe(PREVIOUS);
    expect(browser.events).toContain(`unsubscribed ${PREVIOUS}`);
  });

  it("keeps the person's own registered subscription", async () => {
    const browser = pushBrowser(PREVIOUS);
    const { api, registered } = pushApi([await subscriptionId(PREVIOUS)]);
    await enablePush(api);
    expect(registered).toEqual([PREVIOUS]);
    expect(browser.events).toEqual([]);
  });
});

describe("signing in on a browser someone else left push on", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const PREVIOUS = "https://fcm.googleapis.com/fcm/send/previous-person";

  it("ends the previous person's subscription, so their notices stop showing here", async () => {
    const browser = pushBrowser(PREVIOUS);
    const { api } = pushApi([]);
    expect(await releaseForeignPush(api)).toBe(true);
    expect(browser.events).toEqual([`unsubscribed ${PREVIOUS}`]);
  });

  it("keeps the signed-in person's own subscription, and asks nothing without one", async () => {
    const own = pushBrowser(PREVIOUS);
    expect(await releaseForeignPush(pushApi([await subscriptionId(PREVIOUS)]).api)).toBe(false);
    expect(own.events).toEqual([]);

    pushBrowser(null);
    const GET = vi.fn();
    expect(await releaseForeignPush({ notifications: { GET } } as unknown as ApiClients)).toBe(false);
    expect(GET).not.toHaveBeenCalled();
  });
});
