// Every number and date the portal shows goes through one Formatter, built from the
// person's preferences (identity's /v1/me/preferences): the locale chooses the language of
// names and where a currency symbol goes, `number_format` the separators, `date_format` the
// order of day, month and year, `timezone` the wall clock a timestamp is shown in.
//
// Amounts arrive as decimal strings (money in the currency's scale, volumes with three
// decimals) and are formatted as exact decimals: no float ever rounds a cent.

export const NUMBER_FORMATS = ["1,234.56", "1.234,56", "1 234,56", "1'234.56"] as const;
export const DATE_FORMATS = ["YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY", "DD-MM-YYYY"] as const;
export type NumberFormatName = (typeof NUMBER_FORMATS)[number];
export type DateFormatName = (typeof DATE_FORMATS)[number];

export interface FormatPreferences {
  locale: string;
  timezone: string;
  date_format: DateFormatName;
  number_format: NumberFormatName;
  default_currency: string;
}

export const DEFAULT_PREFERENCES: FormatPreferences = {
  locale: "en-GB",
  timezone: "UTC",
  date_format: "YYYY-MM-DD",
  number_format: "1,234.56",
  default_currency: "EUR",
};

/** What the portal shows for an absent value (the APIs send null). */
export const ABSENT = "—";
const NO_BREAK_SPACE = "\u00a0";

const SEPARATORS: Record<NumberFormatName, { group: string; decimal: string }> = {
  "1,234.56": { group: ",", decimal: "." },
  "1.234,56": { group: ".", decimal: "," },
  "1 234,56": { group: NO_BREAK_SPACE, decimal: "," },
  "1'234.56": { group: "'", decimal: "." },
};

const DECIMAL = /^-?\d+(\.\d+)?$/;
const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

type Numeric = number | string;

export interface Formatter {
  readonly locale: string;
  readonly timeZone: string;
  readonly currency: string;
  number(value: Numeric | null | undefined, fractionDigits?: number): string;
  money(amount: Numeric | null | undefined, currency?: string): string;
  volume(value: Numeric | null | undefined, unit?: string): string;
  date(value: string | null | undefined): string;
  dateTime(value: string | null | undefined): string;
}

function supportedLocale(locale: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale])[0] ?? DEFAULT_PREFERENCES.locale;
  } catch {
    return DEFAULT_PREFERENCES.locale;
  }
}

function supportedTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

function decimals(value: string): number {
  return value.split(".")[1]?.length ?? 0;
}

/** The exact-decimal argument Intl accepts; null when the value is not a decimal. */
function exact(value: Numeric): `${number}` | number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  const trimmed = value.trim();
  return DECIMAL.test(trimmed) ? (trimmed as `${number}`) : null;
}

export function createFormatter(preferences: Partial<FormatPreferences> = {}): Formatter {
  const prefs = { ...DEFAULT_PREFERENCES, ...preferences };
  const locale = supportedLocale(prefs.locale);
  const timeZone = supportedTimeZone(prefs.timezone);
  const separators = SEPARATORS[prefs.number_format];
  const dateOrder = prefs.date_format;

  function withSeparators(format: Intl.NumberFormat, value: `${number}` | number): string {
    return format
      .formatToParts(value)
      .map((part) =>
        part.type === "group"
          ? separators.group
          : part.type === "decimal"
            ? separators.decimal
            : part.value,
      )
      .join("");
  }

  function currencyScale(currency: string): number {
    try {
      return new Intl.NumberFormat(locale, { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    } catch {
      return 2;
    }
  }

  function numeric(value: Numeric, options: Intl.NumberFormatOptions): string {
    const argument = exact(value);
    if (argument === null) return String(value);
    return withSeparators(new Intl.NumberFormat(locale, options), argument);
  }

  function fromPattern(year: string, month: string, day: string): string {
    return dateOrder.replace("YYYY", year).replace("MM", month).replace("DD", day);
  }

  function zonedParts(instant: Date): Record<string, string> {
    const parts = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).formatToParts(instant);
    return Object.fromEntries(parts.map((p) => [p.type, p.value]));
  }

  return {
    locale,
    timeZone,
    currency: prefs.default_currency,
    number(value, fractionDigits) {
      if (value === null || value === undefined) return ABSENT;
      const digits =
        fractionDigits ?? (typeof value === "string" ? decimals(value.trim()) : undefined);
      return numeric(value, {
        minimumFractionDigits: digits ?? 0,
        maximumFractionDigits: digits ?? 20,
      });
    },
    money(amount, currency = prefs.default_currency) {
      if (amount === null || amount === undefined) return ABSENT;
      const scale = currencyScale(currency);
      const given = typeof amount === "string" ? decimals(amount.trim()) : 0;
      try {
        return numeric(amount, {
          style: "currency",
          currency,
          minimumFractionDigits: scale,
          maximumFractionDigits: Math.max(scale, given),
        });
      } catch {
        return `${numeric(amount, { minimumFractionDigits: given })} ${currency}`;
      }
    },
    volume(value, unit = "MWh") {
      if (value === null || value === undefined) return ABSENT;
      const given = typeof value === "string" ? decimals(value.trim()) : 3;
      const text = numeric(value, {
        minimumFractionDigits: 3,
        maximumFractionDigits: Math.max(3, given),
      });
      return unit ? `${text}${NO_BREAK_SPACE}${unit}` : text;
    },
    date(value) {
      if (!value) return ABSENT;
      const plain = PLAIN_DATE.exec(value);
      if (plain) return fromPattern(plain[1] ?? "", plain[2] ?? "", plain[3] ?? "");
      const instant = new Date(value);
      if (Number.isNaN(instant.getTime())) return value;
      const parts = zonedParts(instant);
      return fromPattern(parts.year ?? "", parts.month ?? "", parts.day ?? "");
    },
    dateTime(value) {
      if (!value) return ABSENT;
      const instant = new Date(value);
      if (PLAIN_DATE.test(value) || Number.isNaN(instant.getTime())) return this.date(value);
      const time = new Intl.DateTimeFormat(locale, {
        timeZone,
        hour: "2-digit",
        minute: "2-digit",
      }).format(instant);
      return `${this.date(value)} ${time}`;
    },
  };
}
