import type { FieldDefinition } from "./field-types.js";

// The one place that decides whether a raw value fits a field type, and what
// typed value is stored. Every writer (the import, the assets API) calls it.
// Rules, documented in docs/fields.md:
// - strings that represent a valid value are accepted and stored typed;
// - null is handled by the caller (it clears a value) and never reaches here;
// - "" is a value only for text types; for every other type it is a mismatch;
// - nothing is rounded or truncated silently: a value that cannot be stored
//   exactly is a mismatch.

export type Coerced = { ok: true; value: StoredValue } | { ok: false };
export type StoredValue = string | number | boolean | string[];
/** What separates a number's fraction in text: `.` (`1234.56`) or `,` (`1.234,56`). */
export type DecimalSeparator = "." | ",";

const MISMATCH: Coerced = { ok: false };
const ok = (value: StoredValue): Coerced => ({ ok: true, value });

export const MAX_SINGLE_LINE_LENGTH = 255;
export const MAX_MULTI_LINE_LENGTH = 65_535;
export const MAX_URL_LENGTH = 2_048;
export const MAX_EMAIL_LENGTH = 254;

// A decimal number as people write it, with an optional exponent. No hex,
// no "Infinity", no "NaN", no thousands separators.
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// The same with a decimal comma, where "." may group thousands, in threes
// (1.234.567,89): spreadsheets saved in much of Europe write numbers so.
const DECIMAL_COMMA = /^[+-]?(?:(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d*)?|,\d+)(?:[eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^\s@"(),:;<>[\\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** `decimalSeparator` applies to the text of Number, Integer and Decimal values. */
export function coerceValue(field: FieldDefinition, raw: unknown, decimalSeparator: DecimalSeparator = "."): Coerced {
  switch (field.type) {
    case "SingleLineText":
      return text(raw, MAX_SINGLE_LINE_LENGTH, false);
    case "MultiLineText":
      return text(raw, MAX_MULTI_LINE_LENGTH, true);
    case "Number": {
      const n = toNumber(raw, decimalSeparator);
      return n === undefined ? MISMATCH : ok(n);
    }
    case "Integer": {
      const n = toNumber(raw, decimalSeparator);
      return n !== undefined && Number.isSafeInteger(n) ? ok(n) : MISMATCH;
    }
    case "Decimal":
      return decimal(raw, field.precision ?? 2, decimalSeparator);
    case "Checkbox":
      return checkbox(raw);
    case "Date":
      return date(raw);
    case "DateTime":
      return dateTime(raw);
    case "Select":
      return typeof raw === "string" ? option(field.options ?? [], raw) : MISMATCH;
    case "MultiSelect":
      return multiSelect(field.options ?? [], raw);
    case "URL":
      return url(raw);
    case "Email":
      return typeof raw === "string" && raw.trim().length <= MAX_EMAIL_LENGTH && EMAIL.test(raw.trim()) ? ok(raw.trim()) : MISMATCH;
  }
}

/**
 * Text every backend can store as given: a lone surrogate has no UTF-8 form
 * (it would become U+FFFD) and PostgreSQL cannot store U+0000 at all.
 */
export function isStorableText(s: string): boolean {
  return s.isWellFormed() && !s.includes("\u0000");
}

/** Length in characters (code points), not UTF-16 units: "😀" is one. */
export function characterLength(s: string): number {
  if (s.length <= 1) return s.length;
  let surrogates = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) surrogates++;
  }
  return s.length - surrogates;
}

function text(raw: unknown, maxLength: number, multiLine: boolean): Coerced {
  let s: string;
  if (typeof raw === "string") s = raw;
  else if ((typeof raw === "number" && Number.isFinite(raw)) || typeof raw === "boolean") s = String(raw);
  else return MISMATCH;
  if (!multiLine && /[\r\n]/.test(s)) return MISMATCH;
  return characterLength(s) <= maxLength && isStorableText(s) ? ok(s) : MISMATCH;
}

function toNumber(raw: unknown, decimalSeparator: DecimalSeparator): number | undefined {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== "string") return undefined;
  let s = raw.trim();
  if (decimalSeparator === ",") {
    if (!DECIMAL_COMMA.test(s)) return undefined;
    s = s.replaceAll(".", "").replace(",", ".");
  } else if (!NUMERIC.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function decimal(raw: unknown, precision: number, decimalSeparator: DecimalSeparator): Coerced {
  const n = toNumber(raw, decimalSeparator);
  if (n === undefined) return MISMATCH;
  // Fast path: below 1e15 after scaling, n has at most `precision` fractional
  // digits exactly when rounding it to that many gives n back.
  const scale = 10 ** precision;
  if (Math.abs(n) * scale < 1e15) return Math.round(n * scale) / scale === n ? ok(n) : MISMATCH;
  // A double holds 15 significant decimal digits exactly; more, or more
  // fractional digits than the field's precision, would be stored changed.
  const [digits = "", exponent = "0"] = n.toExponential().split("e");
  const significant = digits.replace(/^-/, "").replace(".", "");
  const fractionDigits = Math.max(0, significant.length - 1 - Number(exponent));
  if (significant.length > 15 || fractionDigits > precision) return MISMATCH;
  return ok(n);
}

function checkbox(raw: unknown): Coerced {
  if (typeof raw === "boolean") return ok(raw);
  if (typeof raw !== "string") return MISMATCH;
  const s = raw.trim().toLowerCase();
  if (s === "true") return ok(true);
  if (s === "false") return ok(false);
  return MISMATCH;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

function date(raw: unknown): Coerced {
  if (typeof raw !== "string") return MISMATCH;
  const s = raw.trim();
  const m = DATE.exec(s);
  if (!m) return MISMATCH;
  return isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? ok(s) : MISMATCH;
}

/** RFC 3339 with an offset; stored in UTC with three fractional digits. */
function dateTime(raw: unknown): Coerced {
  if (typeof raw !== "string") return MISMATCH;
  const m = DATE_TIME.exec(raw.trim());
  if (!m) return MISMATCH;
  const [, y, mo, d, h, mi, sec, fraction = "", zone = "Z"] = m;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return MISMATCH;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return MISMATCH;
  // Beyond milliseconds a value cannot be stored exactly: refuse rather than
  // truncate, unless the extra digits are zeros.
  if (/[1-9]/.test(fraction.slice(4))) return MISMATCH;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${fraction.slice(0, 4)}${zone.toUpperCase()}`);
  if (Number.isNaN(ms)) return MISMATCH;
  // In UTC the year must stay within 0000-9999, or it is no RFC 3339 time.
  const iso = new Date(ms).toISOString();
  return /^\d{4}-/.test(iso) ? ok(iso) : MISMATCH;
}

/**
 * Options are unique case-insensitively (the fields API enforces it), so a
 * value matches at most one option; the option's own spelling is stored.
 */
function option(options: readonly string[], raw: string): Coerced {
  const s = raw.trim();
  const exact = options.find((o) => o === s);
  if (exact !== undefined) return ok(exact);
  const lower = s.toLowerCase();
  const matches = options.filter((o) => o.toLowerCase() === lower);
  return matches.length === 1 ? ok(matches[0]!) : MISMATCH;
}

/** An array of options, or one string of comma-separated options. */
function multiSelect(options: readonly string[], raw: unknown): Coerced {
  let items: unknown[];
  if (Array.isArray(raw)) items = raw;
  else if (typeof raw === "string") items = raw.trim() === "" ? [] : raw.split(",");
  else return MISMATCH;
  const chosen: string[] = [];
  for (const item of items) {
    if (typeof item !== "string") return MISMATCH;
    const c = option(options, item);
    if (!c.ok) return MISMATCH;
    const value = c.value as string;
    if (!chosen.includes(value)) chosen.push(value);
  }
  return ok(chosen);
}

function url(raw: unknown): Coerced {
  if (typeof raw !== "string") return MISMATCH;
  const s = raw.trim();
  if (s.length === 0 || s.length > MAX_URL_LENGTH || /\s/.test(s)) return MISMATCH;
  try {
    const parsed = new URL(s);
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname !== "" ? ok(s) : MISMATCH;
  } catch {
    return MISMATCH;
  }
}
