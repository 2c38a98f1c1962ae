import { afterEach, describe, expect, it, vi } from "vitest";
import type { ApiClients } from "../api/client";
import { subscriptionId } from "../notifications/push";
import { CLEAN_UP_LIMIT_MS, leave } from "./leave";
import { rememberAccount, rememberedAccount } from "./lastAccount";

const ENDPOINT = "https://fcm.googleapis.com/fcm/send/previous-person";

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    clear: () => { items.clear(); },
  };
}

/** A browser whose push subscription was registered by the person signing out. */
function browserWithPush(steps: string[], registration: () => Promise<unknown>) {
  vi.stubGlobal("window", { sessionStorage: memoryStorage() });
  vi.stubGlobal("navigator", { serviceWorker: { getRegistration: registration } });
  const subscription = {
    endpoint: ENDPOINT,
    unsubscribe: () => {
      steps.push("browser unsubscribed");
      return Promise.resolve(true);
    },
  };
  return { pushManager: { getSubscription: () => Promise.resolve(subscription) } };
}

function api(steps: string[]): ApiClients {
  const DELETE = (_path: string, options: { params: { path: { subscription_id: string } } }) => {
    steps.push(`removed ${options.params.path.subscription_id}`);
    return Promise.resolve({ response: new Response(null, { status: 204 }) });
  };
  return { notifications: { DELETE } } as unknown as ApiClients;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("leave", () => {
  it("stops this browser's push for the person, with their token, before their session ends", async () => {
    const steps: string[] = [];
    const registration = browserWithPush(steps, () => Promise.resolve(registration));
    rememberAccount("acc-of-the-previous-person");

    await leave(api(steps), () => {
      steps.push("signed out");
      return Promise.resolve();
    });

    expect(steps).toEqual(["browser unsubscribed", `removed ${await subscriptionId(ENDPOINT)}`, "signed out"]);
    expect(rememberedAccount()).toBeNull();
  });

  it("signs out even when the clean-up fails or never answers", async () => {
    const steps: string[] = [];
    browserWithPush(steps, () => Promise.reject(new Error("no service worker")));
    const signOut = vi.fn(() => Promise.resolve());
    await leave(api(steps), signOut);
    expect(signOut).toHaveBeenCalledOnce();

    vi.useFakeTimers();
    browserWithPush(steps, () => new Promise(() => undefined));
    const hanging = leave(api(steps), signOut);
    await vi.advanceTimersByTimeAsync(CLEAN_UP_LIMIT_MS);
    await hanging;
    expect(signOut).toHaveBeenCalledTimes(2);
  });
});
