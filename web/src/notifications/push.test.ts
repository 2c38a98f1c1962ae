import { describe, expect, it, vi } from "vitest";
import source from "../../public/push-worker.js?raw";
import { keyBytes, subscriptionId } from "./push";

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
