import { describe, expect, it } from "vitest";
import { titleFor } from "./routeAnnouncement";

describe("titleFor", () => {
  it("names the page first, then the portal", () => {
    expect(titleFor(" Trades ")).toBe("Trades · SCTS portal");
    expect(titleFor("")).toBe("SCTS portal");
    expect(titleFor(null)).toBe("SCTS portal");
  });
});
