import { describe, expect, it } from "vitest";
import { safeNext } from "./next";

describe("safeNext", () => {
  it("keeps paths inside the portal and refuses everything else", () => {
    expect(safeNext("/accounts/a1/members?x=1")).toBe("/accounts/a1/members?x=1");
    for (const outside of [null, "", "https://evil.example", "//evil.example", "/\\evil", "accounts"]) {
      expect(safeNext(outside)).toBe("/");
    }
  });
});
