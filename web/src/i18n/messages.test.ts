import { describe, expect, it } from "vitest";
import { permissionLabel, translator } from "./messages";

describe("translator", () => {
  it("falls back to English and fills placeholders", () => {
    const t = translator("nl-NL");
    expect(t("nav.members")).toBe("Members");
    expect(t("header.userMenu", { name: "ana@example.com" })).toBe("User menu for ana@example.com");
    expect(t("header.userMenu")).toBe("User menu for {name}");
  });

  it("labels known permissions and shows new ones verbatim", () => {
    const t = translator("en-GB");
    expect(permissionLabel(t, "trades:manage")).toBe("Manage trades");
    expect(permissionLabel(t, "meters:read")).toBe("meters:read");
  });
});
