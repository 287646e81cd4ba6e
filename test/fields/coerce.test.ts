import { describe, expect, it } from "vitest";
import { coerceValue } from "../../src/fields/coerce.js";
import type { FieldDefinition, FieldType } from "../../src/fields/field-types.js";

const field = (type: FieldType, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({ name: "f", type, ...extra });
const MISMATCH = Symbol("mismatch");

// [raw value, stored value or MISMATCH]
const cases: Record<string, { field: FieldDefinition; rows: Array<[unknown, unknown]> }> = {
  Number: {
    field: field("Number"),
    rows: [
      [13, 13],
      ["13", 13],
      [" 12 ", 12],
      ["1e3", 1000],
      ["-0.5", -0.5],
      [".5", 0.5],
      ["+7", 7],
      ["", MISMATCH],
      ["   ", MISMATCH],
      ["abcd", MISMATCH],
      ["12abc", MISMATCH],
      ["0x10", MISMATCH],
      ["1,5", MISMATCH],
      ["NaN", MISMATCH],
      ["Infinity", MISMATCH],
      [Number.NaN, MISMATCH],
      [Number.POSITIVE_INFINITY, MISMATCH],
      ["1e400", MISMATCH],
      [true, MISMATCH],
      [[1], MISMATCH],
      [{}, MISMATCH],
      ["9007199254740993", 9007199254740992],
    ],
  },
  Integer: {
    field: field("Integer"),
    rows: [
      [42, 42],
      ["42", 42],
      [" 42 ", 42],
      ["1e3", 1000],
      ["12.0", 12],
      ["12.5", MISMATCH],
      [12.5, MISMATCH],
      [9007199254740991, 9007199254740991],
      ["9007199254740991", 9007199254740991],
      // Beyond 2^53 an integer cannot be held exactly: refused, not rounded.
      ["9007199254740993", MISMATCH],
      [2 ** 53, MISMATCH],
      ["-9007199254740992", MISMATCH],
      ["", MISMATCH],
      ["NaN", MISMATCH],
      [Number.POSITIVE_INFINITY, MISMATCH],
    ],
  },
  Decimal: {
    field: field("Decimal", { precision: 2 }),
    rows: [
      [12.99, 12.99],
      ["12.99", 12.99],
      ["8.50", 8.5],
      [" 1e3 ", 1000],
      ["12.999", MISMATCH],
      [0.1 + 0.2, MISMATCH],
      ["1234567890123.45", 1234567890123.45],
      ["12345678901234.56", MISMATCH],
      ["", MISMATCH],
      ["Infinity", MISMATCH],
    ],
  },
  Checkbox: {
    field: field("Checkbox"),
    rows: [
      [true, true],
      [false, false],
      ["true", true],
      ["TRUE", true],
      [" False ", false],
      ["yes", MISMATCH],
      ["1", MISMATCH],
      [1, MISMATCH],
      ["", MISMATCH],
    ],
  },
  Date: {
    field: field("Date"),
    rows: [
      ["2024-02-29", "2024-02-29"],
      ["0000-02-29", "0000-02-29"],
      ["1900-02-29", MISMATCH],
      ["2000-02-29", "2000-02-29"],
      [" 2024-01-31 ", "2024-01-31"],
      ["2024-02-30", MISMATCH],
      ["2023-02-29", MISMATCH],
      ["2024-13-01", MISMATCH],
      ["2024-1-1", MISMATCH],
      ["2024-01-01T00:00:00Z", MISMATCH],
      ["", MISMATCH],
      [20240101, MISMATCH],
    ],
  },
  DateTime: {
    field: field("DateTime"),
    rows: [
      ["2025-03-04T03:21:44.846Z", "2025-03-04T03:21:44.846Z"],
      ["2025-03-04T04:21:44+01:00", "2025-03-04T03:21:44.000Z"],
      ["2025-03-04 03:21:44Z", "2025-03-04T03:21:44.000Z"],
      ["2025-03-04T03:21:44.846000Z", "2025-03-04T03:21:44.846Z"],
      ["2025-03-04T03:21:44.8461Z", MISMATCH],
      ["2025-03-04T03:21:44", MISMATCH],
      ["2024-02-30T00:00:00Z", MISMATCH],
      ["2025-03-04T24:00:00Z", MISMATCH],
      ["9999-12-31T23:59:59Z", "9999-12-31T23:59:59.000Z"],
      ["9999-12-31T23:59:59-01:00", MISMATCH],
      ["0000-01-01T00:00:00+01:00", MISMATCH],
      ["", MISMATCH],
    ],
  },
  SingleLineText: {
    field: field("SingleLineText"),
    rows: [
      ["Dell", "Dell"],
      ["", ""],
      [" padded ", " padded "],
      [17, "17"],
      [true, "true"],
      ["a".repeat(255), "a".repeat(255)],
      ["a".repeat(256), MISMATCH],
      ["😀".repeat(255), "😀".repeat(255)],
      ["two\nlines", MISMATCH],
      ["a\ud800b", MISMATCH],
      [Number.NaN, MISMATCH],
      [["a"], MISMATCH],
      [{}, MISMATCH],
    ],
  },
  MultiLineText: {
    field: field("MultiLineText"),
    rows: [
      ["two\nlines", "two\nlines"],
      ["a".repeat(65_535), "a".repeat(65_535)],
      ["a".repeat(65_536), MISMATCH],
    ],
  },
  Select: {
    field: field("Select", { options: ["Red", "Green"] }),
    rows: [
      ["Red", "Red"],
      ["red", "Red"],
      [" GREEN ", "Green"],
      ["Blue", MISMATCH],
      ["", MISMATCH],
      [1, MISMATCH],
    ],
  },
  MultiSelect: {
    field: field("MultiSelect", { options: ["Red", "Green", "Blue"] }),
    rows: [
      [["Red", "Blue"], ["Red", "Blue"]],
      ["red, green", ["Red", "Green"]],
      [["Red", "red"], ["Red"]],
      [[], []],
      ["", []],
      [["Red", "Pink"], MISMATCH],
      [[1], MISMATCH],
      [true, MISMATCH],
    ],
  },
  URL: {
    field: field("URL"),
    rows: [
      ["https://example.com/a?b=c", "https://example.com/a?b=c"],
      [" http://example.com ", "http://example.com"],
      ["ftp://example.com", MISMATCH],
      ["javascript:alert(1)", MISMATCH],
      ["example.com", MISMATCH],
      ["http://exa mple.com", MISMATCH],
      ["", MISMATCH],
    ],
  },
  Email: {
    field: field("Email"),
    rows: [
      ["ops@example.com", "ops@example.com"],
      [" ops@example.com ", "ops@example.com"],
      ["first.last+tag@sub.example.co", "first.last+tag@sub.example.co"],
      ["ops@example", MISMATCH],
      ["ops example.com", MISMATCH],
      ["@example.com", MISMATCH],
      ["", MISMATCH],
    ],
  },
};

describe("coerceValue", () => {
  for (const [type, { field: definition, rows }] of Object.entries(cases)) {
    describe(type, () => {
      it.each(rows.map(([raw, expected]) => ({ raw, expected, label: JSON.stringify(raw)?.slice(0, 40) ?? String(raw) })))(
        "$label",
        ({ raw, expected }) => {
          const result = coerceValue(definition, raw);
          if (expected === MISMATCH) expect(result).toEqual({ ok: false });
          else expect(result).toEqual({ ok: true, value: expected });
        },
      );
    });
  }

  it("matches Select options case-insensitively only when one option fits", () => {
    // The fields API refuses such options; data created before must not match ambiguously.
    expect(coerceValue(field("Select", { options: ["Red", "RED"] }), "red")).toEqual({ ok: false });
    expect(coerceValue(field("Select", { options: ["Red", "RED"] }), "RED")).toEqual({ ok: true, value: "RED" });
  });

  it("honours a Decimal's precision", () => {
    expect(coerceValue(field("Decimal", { precision: 0 }), "12")).toEqual({ ok: true, value: 12 });
    expect(coerceValue(field("Decimal", { precision: 0 }), "12.5")).toEqual({ ok: false });
    expect(coerceValue(field("Decimal", { precision: 4 }), "0.0001")).toEqual({ ok: true, value: 0.0001 });
  });
});
