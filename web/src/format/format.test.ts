import { describe, expect, it } from "vitest";
import { ABSENT, createFormatter } from "./format";

const NBSP = "\u00a0";

describe("numbers", () => {
  it("use the chosen separators whatever the locale", () => {
    expect(createFormatter({ number_format: "1,234.56" }).number("1234567.891")).toBe(
      "1,234,567.891",
    );
    expect(createFormatter({ number_format: "1.234,56" }).number("1234567.891")).toBe(
      "1.234.567,891",
    );
    expect(createFormatter({ number_format: "1 234,56" }).number(1234.5, 2)).toBe(
      `1${NBSP}234,50`,
    );
    expect(createFormatter({ locale: "de-CH", number_format: "1'234.56" }).number(-98765)).toBe(
      "-98'765",
    );
  });

  it("format decimal strings exactly, beyond what a float holds", () => {
    expect(createFormatter().number("12345678901234567.89")).toBe("12,345,678,901,234,567.89");
    expect(createFormatter().number("not a number")).toBe("not a number");
    expect(createFormatter().number(null)).toBe(ABSENT);
  });
});

describe("money", () => {
  it("shows the currency's scale, keeping more precision if the API sends it", () => {
    const gb = createFormatter({ locale: "en-GB" });
    expect(gb.money("82519.6", "EUR")).toBe("€82,519.60");
    expect(gb.money("10", "JPY")).toBe("JP¥10");
    expect(gb.money("0.125", "EUR")).toBe("€0.125");
  });

  it("places the symbol by locale and separators by number format", () => {
    const nl = createFormatter({ locale: "nl-NL", number_format: "1.234,56" });
    expect(nl.money("1234.5", "EUR")).toBe(`€${NBSP}1.234,50`);
    const de = createFormatter({ locale: "de-DE", number_format: "1,234.56" });
    expect(de.money("1234.5", "EUR")).toBe(`1,234.50${NBSP}€`);
  });

  it("uses the preferred currency when none is given", () => {
    expect(createFormatter({ default_currency: "USD", locale: "en-US" }).money("3")).toBe("$3.00");
    expect(createFormatter().money(undefined)).toBe(ABSENT);
  });
});

describe("volumes", () => {
  it("always show three decimals and the unit", () => {
    expect(createFormatter().volume("1000")).toBe(`1,000.000${NBSP}MWh`);
    expect(createFormatter({ number_format: "1.234,56" }).volume("1500.250")).toBe(
      `1.500,250${NBSP}MWh`,
    );
    expect(createFormatter().volume("2.5", "")).toBe("2.500");
  });
});

describe("dates", () => {
  it("order plain dates by the chosen format, without shifting the day", () => {
    const iso = "2026-03-01";
    expect(createFormatter({ date_format: "YYYY-MM-DD" }).date(iso)).toBe("2026-03-01");
    expect(createFormatter({ date_format: "DD/MM/YYYY" }).date(iso)).toBe("01/03/2026");
    expect(createFormatter({ date_format: "MM/DD/YYYY" }).date(iso)).toBe("03/01/2026");
    expect(createFormatter({ date_format: "DD.MM.YYYY", timezone: "Pacific/Kiritimati" }).date(iso))
      .toBe("01.03.2026");
  });

  it("show timestamps on the person's wall clock", () => {
    const instant = "2026-12-31T23:30:00Z";
    const utc = createFormatter({ timezone: "UTC", locale: "en-GB" });
    const amsterdam = createFormatter({ timezone: "Europe/Amsterdam", locale: "en-GB" });
    expect(utc.dateTime(instant)).toBe("2026-12-31 23:30");
    expect(amsterdam.dateTime(instant)).toBe("2027-01-01 00:30");
    expect(amsterdam.date(instant)).toBe("2027-01-01");
    expect(createFormatter({ timezone: "America/New_York", locale: "en-US" }).dateTime(instant))
      .toBe("2026-12-31 06:30 PM");
  });

  it("falls back to UTC and en-GB for values Intl does not know", () => {
    const odd = createFormatter({ timezone: "Mars/Olympus", locale: "xx-XX" });
    expect([odd.timeZone, odd.locale]).toEqual(["UTC", "en-GB"]);
    expect(odd.dateTime(null)).toBe(ABSENT);
  });
});
