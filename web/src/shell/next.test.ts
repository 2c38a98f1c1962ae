import { describe, expect, it } from "vitest";
import { safeNext } from "./next";

describe("safeNext", () => {
  it("keeps paths inside the portal and refuses everything else", () => {
    expect(safeNext("/accounts/a1/members?x=1")).toBe("/accounts/a1/members?x=1");
    for (const outside of [null, "", "https://evil.example", "//evil.example", "/\\evil", "accounts"]) {
      expect(safeNext(outside)).toBe("/");
    }
  });

  it("refuses paths a browser reads as another site once it drops tabs and line breaks", () => {
    const portal = "https://portal.example";
    for (const outside of ["/\t/evil.example", "/\n/evil.example", "/\r\\evil.example"]) {
      expect(new URL(safeNext(outside), portal).origin).toBe(portal);
    }
  });
});
