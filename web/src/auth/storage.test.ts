import { describe, expect, it } from "vitest";
import { sessionTokenStorage, TOKEN_KEY_PREFIX } from "./storage";

class MemoryStorage implements Storage {
  [name: string]: unknown;
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe("sessionTokenStorage", () => {
  it("stores in the given storage and clears only Cognito's keys", async () => {
    const store = new MemoryStorage();
    const storage = sessionTokenStorage(store);
    await storage.setItem(`${TOKEN_KEY_PREFIX}client.user.accessToken`, "t");
    store.setItem("scts.lastAccount", "a1");
    expect(await storage.getItem(`${TOKEN_KEY_PREFIX}client.user.accessToken`)).toBe("t");
    await storage.clear();
    expect(store.getItem(`${TOKEN_KEY_PREFIX}client.user.accessToken`)).toBeNull();
    expect(store.getItem("scts.lastAccount")).toBe("a1");
  });
});
