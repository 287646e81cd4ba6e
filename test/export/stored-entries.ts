import fc from "fast-check";
import { coerceValue, isStorableText, type StoredValue } from "../../src/fields/coerce.js";
import { checkFieldName, normaliseDefinition } from "../../src/fields/field-rules.js";
import { FIELD_TYPES, hasOptions, type FieldDefinition, type FieldType } from "../../src/fields/field-types.js";
import type { ExportEntry } from "../../src/export/serialise.js";
import { isValidId, isValidName, setOwn } from "../../src/import/validate-entry.js";

// Arbitraries for what a tenant can hold: valid field definitions (as the
// fields API accepts them) and entries whose values are what coerceValue
// stores. Raw values are generated loosely and kept only where coerceValue
// accepts them, so the generators cannot drift from the storage rules.

/** Characters that trouble one format or another, mixed into generated text. */
const AWKWARD = [",", ";", '"', "'", "\r", "\n", "\r\n", "\t", " ", "=", "+", "-", "@", "\uff1d", "&amp;", "&lt;", "_x0041_", "\u0001", "\u000b", "\u007f", "\u0085", "\u2028", "\ufeff", "\ufffe", "😀", "é"];

export const text = (maxLength = 12) =>
  fc.string({
    unit: fc.oneof(fc.constantFrom(...AWKWARD), fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })),
    maxLength,
  });

const validFieldName = (name: string): boolean => {
  try {
    checkFieldName(name);
    return true;
  } catch {
    return false;
  }
};

const fieldName = fc
  .oneof(
    fc.constantFrom("a,b", 'say "hi"', "=SUM(A1)", "x;y;z;w;v;u", "constructor", "__proto__", "toString", "-minus", "@at", "Größe", "😀 emoji", "two  spaces", "&amp;"),
    text(10),
  )
  .filter(validFieldName);

const option = text(8).filter((o) => o !== "" && o === o.trim() && isStorableText(o));

function definition(name: string, type: FieldType, options: string[], precision: number): FieldDefinition {
  // A MultiSelect also reads "a,b" as two options, so its options hold no comma.
  const usable = type === "MultiSelect" ? options.filter((o) => !o.includes(",")) : options;
  return normaliseDefinition({
    name,
    type,
    options: hasOptions(type) ? (usable.length > 0 ? usable : ["only"]) : undefined,
    precision: type === "Decimal" ? precision : undefined,
  });
}

export const fieldDefinitions = (maxLength: number) =>
  fc.uniqueArray(
    fc
      .tuple(fieldName, fc.constantFrom(...FIELD_TYPES), fc.uniqueArray(option, { minLength: 1, maxLength: 5, selector: (o) => o.toLowerCase() }), fc.integer({ min: 0, max: 10 }))
      .map(([name, type, options, precision]) => definition(name, type, options, precision)),
    // Field names are unique per tenant, compared case-insensitively.
    { maxLength, selector: (field) => field.name.toLowerCase() },
  );

// JSON has no -0 (JSON.stringify writes 0), nor does a cell: stored -0 is exported as 0.
const noNegativeZero = (n: number) => (Object.is(n, -0) ? 0 : n);
const someCase = (s: string) => fc.constantFrom(s, s.toUpperCase(), s.toLowerCase());
const instant = fc.date({ min: new Date("0000-01-01T00:00:00.000Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true });

/** Raw values for a field, as a client might send them. */
function raw(field: FieldDefinition): fc.Arbitrary<unknown> {
  const options = field.options ?? [];
  switch (field.type) {
    case "SingleLineText":
    case "MultiLineText":
      return text(20);
    case "Number":
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(0.1, 1e21, 5e-324, -1.5, 1.7976931348623157e308)).map(noNegativeZero);
    case "Integer":
      return fc.oneof(fc.integer(), fc.maxSafeInteger());
    case "Decimal":
      return fc
        .oneof(
          fc.tuple(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 10 })).map(([m, e]) => m / 10 ** e),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        )
        .map(noNegativeZero);
    case "Checkbox":
      return fc.boolean();
    case "Date":
      return instant.map((d) => d.toISOString().slice(0, 10));
    case "DateTime":
      return instant.map((d) => d.toISOString());
    case "Select":
      return fc.constantFrom(...options).chain(someCase);
    case "MultiSelect":
      return fc.subarray([...options]);
    case "URL":
      return fc.webUrl({ withQueryParameters: true, withFragments: true });
    case "Email":
      return fc.emailAddress();
  }
}

/** A value as storage holds it: a raw value coerceValue accepts, coerced. */
export function storedValue(field: FieldDefinition): fc.Arbitrary<StoredValue> {
  return raw(field)
    .map((value) => coerceValue(field, value))
    .filter((coerced) => coerced.ok)
    .map((coerced) => (coerced as { value: StoredValue }).value);
}

// The thingsHub ID: 1-63 of A-Z a-z 0-9 and single hyphens, alphanumeric at both ends.
const id = fc
  .array(fc.stringMatching(/^[A-Za-z0-9]{1,10}$/), { minLength: 1, maxLength: 7 })
  .map((parts) => parts.join("-"))
  .filter(isValidId);

const name = text(30).filter(isValidName);

/** Entries with distinct IDs; each field holds a value or is absent. */
export function storedEntries(fields: readonly FieldDefinition[], maxLength: number): fc.Arbitrary<ExportEntry[]> {
  const entry = fc.record({ id, name, values: fc.tuple(...fields.map((field) => fc.option(storedValue(field), { nil: undefined }))) }).map(({ id, name, values }) => {
    const e: ExportEntry = { id, name };
    fields.forEach((field, i) => {
      if (values[i] !== undefined) setOwn<unknown>(e, field.name, values[i]);
    });
    return e;
  });
  return fc.uniqueArray(entry, { maxLength, selector: (e) => e.id });
}
