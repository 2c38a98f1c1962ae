import { describe, expect, it } from "vitest";
import { permissionLabel, translator } from "./messages";

describe("translator", () => {
  it("falls back to English and fills placeholders", () => {
    const t = translator("nl-NL");
    expect(t("nav.members")).toBe("Members");
    expect(t("account.inactive", { status: "suspended" })).toMatch(/^This account is suspended\./);
    expect(t("account.inactive")).toMatch(/^This account is \{status\}\./);
  });

  it("labels known permissions and shows new ones verbatim", () => {
    const t = translator("en-GB");
    expect(permissionLabel(t, "trades:manage")).toBe("Manage trades");
    expect(permissionLabel(t, "meters:read")).toBe("meters:read");
  });
});
