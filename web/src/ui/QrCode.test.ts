import { describe, expect, it } from "vitest";
import { qrPath } from "./QrCode";

describe("qrPath", () => {
  it("draws one square per dark module of the otpauth URI's code", () => {
    const { size, path } = qrPath("otpauth://totp/SCTS:ana%40example.com?secret=ABC&issuer=SCTS");
    expect(size).toBeGreaterThanOrEqual(25);
    expect(path.startsWith("M")).toBe(true);
    expect(path.split("M").length - 1).toBeGreaterThan(size);
  });
});
