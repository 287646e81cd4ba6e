import { attributeMessages, isAttributeKey, resolveAttributes, type AttributeKey, type Classification } from "../assets/attributes.js";
import { AssetCatalog } from "../assets/catalog.js";
import { characterLength, coerceValue, isStorableText, type StoredValue } from "../fields/coerce.js";
import { isSystemFieldName, type FieldDefinition } from "../fields/field-types.js";
import { badRequest } from "../http/errors.js";
import { idKeyOf, nameKeyOf, type ImportMapping } from "./mapping.js";
import { DEFAULT_OPTIONS, type ImportOptions } from "./options.js";

export type EntryRules = Pick<ImportOptions, "unknown_fields" | "null_values" | "decimal_separator">;

/** What one import entry amounts to, before it is applied. */
export interface EntryOutcome {
  /** Present unless the entry failed. */
  id?: string;
  /** null when the entry names no name. */
  name: string | null;
  /** Values to write (custom values and attributes); null clears one. */
  patch: Record<string, StoredValue | null>;
  warnings: string[];
  failure?: string;
  /** Further reasons the entry fails, after `failure` (the import reports one; the API lists all). */
  moreFailures?: string[];
  /** The asset's category and status after the entry (unless it failed). */
  after?: Classification;
}

/** What an entry's attributes are checked against. */
export interface EntryModel {
  catalog: AssetCatalog;
  /** The asset's category and status before the entry; undefined when there is no such asset. */
  before(id: string): Classification | undefined;
}

const NO_MODEL: EntryModel = { catalog: AssetCatalog.empty(), before: () => undefined };

// The thingsHub Business Objects ID: 1-63 of A-Z a-z 0-9 -, starting and
// ending with a letter or digit, no "--".
const ID_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id) && !id.includes("--");
}

/** Refuses (400) an ID a client chose for a site, category, status set or status that breaks the rule. */
export function checkChosenId(label: string, id: string): void {
  if (!isValidId(id)) throw badRequest(`${label} '${id}' is not a valid ID: 1-63 of A-Z a-z 0-9 -, a letter or digit at both ends, no --`);
}

export function isValidName(name: string): boolean {
  return name.trim() !== "" && characterLength(name) <= 255 && isStorableText(name);
}

// A key (or a parser's message quoting the file) is client text: where it
// cannot be stored as is (U+0000, a lone surrogate) the message shows it
// escaped, as JSON would.
export const shown = (key: string) => (isStorableText(key) ? key : JSON.stringify(key).slice(1, -1).replaceAll(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`));

export const messages = {
  missingId: "Missing ID",
  invalidId: "Invalid ID found",
  invalidName: "Invalid name found",
  systemField: (key: string) => `${shown(key)}: '${shown(key)}' is a system field and cannot be imported`,
  attributeCase: (key: string) => `${shown(key)}: keys are case-sensitive: write '${key.toLowerCase()}'`,
  unknownField: (key: string) => `${shown(key)}: field with name: ${shown(key)}: not found`,
  typeMismatch: (key: string, type: string) => `${key}: Invalid value found for field '${key}' of type: '${type}': bad request`,
  // The number it would be, not a guess at the cause: 1,234 may be a US thousand or 1.234 in Europe.
  otherSeparator: (value: string, separator: string, read: unknown) =>
    `; with decimal_separator=${separator}${separator === "." ? " (the default)" : ""} '${shown(value)}' would read as ${String(read)}`,
  duplicateId: (key: string, id: string, earlier: number) =>
    `${key}: ID '${id}' was already imported by entry ${earlier}; this entry is applied after it`,
};

/** The entry's ID as given: a string, else what the entry holds (a whole number becomes its digits). */
export function entryId(entry: Record<string, unknown>, idKey: string): unknown {
  // Own keys only: a mapping field named "constructor" must not find Object's.
  const raw = Object.hasOwn(entry, idKey) ? entry[idKey] : undefined;
  return typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0 ? String(raw) : raw;
}

/**
 * Validates and coerces one entry against the tenant's fields and, through
 * `model`, its catalog and the asset's category before the entry. Pure: the
 * same entry, mapping, fields and model give the same outcome, which is what
 * lets a restarted import reproduce its state.
 */
export function validateEntry(
  entry: Record<string, unknown>,
  mapping: ImportMapping,
  fields: ReadonlyMap<string, FieldDefinition>,
  rules: EntryRules = DEFAULT_OPTIONS,
  model: EntryModel = NO_MODEL,
): EntryOutcome {
  const idKey = idKeyOf(entry, mapping);
  const nameKey = nameKeyOf(mapping);
  const outcome: EntryOutcome = { name: null, patch: {}, warnings: [] };
  let given: Partial<Record<AttributeKey, unknown>> | undefined;

  for (const key in entry) {
    if (key === idKey || key === nameKey) continue;
    const raw = entry[key];
    const field = fields.get(key);
    // A custom field's name is never a system name, so the system check is
    // needed only for keys that are not fields.
    if (!field) {
      if (isAttributeKey(key)) {
        // null_values=ignore leaves attributes be, as it does values.
        if (raw !== null || rules.null_values === "clear") (given ??= {})[key] = raw;
      }
      else if (isAttributeKey(key.toLowerCase())) outcome.warnings.push(messages.attributeCase(key));
      else if (isSystemFieldName(key)) outcome.warnings.push(messages.systemField(key));
      else if (rules.unknown_fields === "reject") outcome.failure ??= messages.unknownField(key);
      else outcome.warnings.push(messages.unknownField(key));
    } else if (raw === null) {
      if (rules.null_values === "clear") setOwn(outcome.patch, key, null);
    }
    else {
      const coerced = coerceValue(field, raw, rules.decimal_separator);
      if (coerced.ok) setOwn(outcome.patch, key, coerced.value);
      else outcome.warnings.push(messages.typeMismatch(key, field.type) + separatorHint(field, raw, rules.decimal_separator));
    }
  }

  // The ID's failure comes first: it is what a client fixes first.
  const id = entryId(entry, idKey);
  if (id === undefined || id === null) outcome.failure = messages.missingId;
  else if (typeof id !== "string" || !isValidId(id)) outcome.failure = messages.invalidId;
  else outcome.id = id;

  const rawName = Object.hasOwn(entry, nameKey) ? entry[nameKey] : undefined;
  if (rawName !== undefined && rawName !== null) {
    const name = typeof rawName === "number" && Number.isFinite(rawName) ? String(rawName) : rawName;
    if (typeof name === "string" && isValidName(name)) outcome.name = name;
    else outcome.failure ??= messages.invalidName;
  }
  if (outcome.id !== undefined && (given !== undefined || model.catalog.hasCategories)) applyModel(outcome, outcome.id, given ?? {}, model);
  if (outcome.failure) delete outcome.id;
  return outcome;
}

const NUMBER_TYPES = new Set(["Number", "Integer", "Decimal"]);

/**
 * A number that reads with the other decimal separator says so: the file is
 * right, the option is not. Only where the option applies (CSV and XLSX).
 */
function separatorHint(field: FieldDefinition, raw: unknown, separator: EntryRules["decimal_separator"]): string {
  if (separator === undefined || typeof raw !== "string" || !NUMBER_TYPES.has(field.type)) return "";
  const other = separator === "." ? "," : ".";
  const coerced = coerceValue(field, raw, other);
  return coerced.ok ? messages.otherSeparator(raw.trim(), other, coerced.value) : "";
}

/** The entry's attributes, and the custom values its category leaves out. */
function applyModel(outcome: EntryOutcome, id: string, given: Partial<Record<AttributeKey, unknown>>, model: EntryModel): void {
  const attributes = resolveAttributes(given, model.before(id), model.catalog);
  outcome.warnings.push(...attributes.warnings);
  for (const failure of attributes.failures) {
    if (outcome.failure === undefined) outcome.failure = failure;
    else (outcome.moreFailures ??= []).push(failure);
  }
  Object.assign(outcome.patch, attributes.patch);
  outcome.after = attributes.after;
  const { category } = attributes.after;
  if (category === null) return;
  for (const key in outcome.patch) {
    if (outcome.patch[key] === null || isAttributeKey(key) || model.catalog.applies(category, key)) continue;
    delete outcome.patch[key];
    outcome.warnings.push(attributeMessages.fieldNotInCategory(shown(key), category));
  }
}

/**
 * Sets a client-named key as the object's own data. Plain assignment would
 * run Object.prototype's `__proto__` setter for that one key; the rest take
 * the fast path (null-prototype objects are markedly slower on the hot path).
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
