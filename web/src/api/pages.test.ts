import { describe, expect, it } from "vitest";
import { everyPage } from "./pages";

describe("everyPage", () => {
  it("follows next_cursor to the end and keeps the order", async () => {
    const pages: Record<string, { items: number[]; next_cursor: string | null }> = {
      start: { items: [1, 2], next_cursor: "b" },
      b: { items: [3], next_cursor: "c" },
      c: { items: [4], next_cursor: null },
    };
    const asked: (string | undefined)[] = [];
    const all = await everyPage((cursor) => {
      asked.push(cursor);
      const page = pages[cursor ?? "start"];
      if (!page) throw new Error(`no page ${String(cursor)}`);
      return Promise.resolve(page);
    });
    expect(all.items).toEqual([1, 2, 3, 4]);
    expect(asked).toEqual([undefined, "b", "c"]);
  });

  it("refuses a list longer than its page limit instead of showing it cut short", async () => {
    let calls = 0;
    const all = everyPage(() => {
      calls += 1;
      return Promise.resolve({ items: [calls], next_cursor: "again" });
    });
    await expect(all).rejects.toMatchObject({ status: 413, code: "too_large" });
    expect(calls).toBe(50);
  });
});
