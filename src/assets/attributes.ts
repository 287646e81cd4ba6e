import { characterLength, isStorableText } from "../fields/coerce.js";
import type { AssetCatalog } from "./catalog.js";

// The asset model's attributes (docs/assets.md): description, tags,
// category, status and site_id. Each is a column of its own; in memory, on
// the way through an import or a write, they ride in the asset's `data`
// beside the custom values under their own keys, which no custom field can
// take (system names are reserved), so that comparing and merging treat
// them exactly like values.

export const ATTRIBUTE_KEYS = ["description", "tags", "category", "status", "site_id"] as const;
export type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];
const attributeKeys: ReadonlySet<string> = new Set(ATTRIBUTE_KEYS);

export const isAttributeKey = (key: string): key is AttributeKey => attributeKeys.has(key);

export const MAX_DESCRIPTION = 5000;
export const MAX_TAG_LENGTH = 255;
export const MAX_TAGS = 100;

/** The attribute columns of an assets or asset_changes row. */
export interface AttributeColumns {
  description: string | null;
  tags: string | null;
  category_id: string | null;
  status_id: string | null;
  site_id: string | null;
}

export const ATTRIBUTE_COLUMNS = ["description", "tags", "category_id", "status_id", "site_id"] as const;
export type ExportedColumn = (typeof ATTRIBUTE_COLUMNS)[number];

/** A row's custom values and attributes as one object; attributes without a value are left out, as values are. */
export function joinAttributes(row: AttributeColumns & { data: string }): Record<string, unknown> {
  const data = JSON.parse(row.data) as Record<string, unknown>;
  if (row.description !== null) data.description = row.description;
  if (row.tags !== null) data.tags = JSON.parse(row.tags) as string[];
  if (row.category_id !== null) data.category = row.category_id;
  if (row.status_id !== null) data.status = row.status_id;
  if (row.site_id !== null) data.site_id = row.site_id;
  return data;
}

/** The attribute columns of a state to write, in ATTRIBUTE_COLUMNS order; tags as the list itself. */
export type AttributeValues = [description: string | null, tags: string[] | null, category: string | null, status: string | null, site: string | null];

/** The other way: the custom values alone (the same object when it holds no attribute), and the attributes. */
export function splitAttributes(data: Record<string, unknown>): { custom: Record<string, unknown>; attributes: AttributeValues } {
  const attributes: AttributeValues = [null, null, null, null, null];
  if (!ATTRIBUTE_KEYS.some((key) => Object.hasOwn(data, key))) return { custom: data, attributes };
  // Built up rather than copied and deleted from: `delete` would turn the
  // object into a slow dictionary for the JSON.stringify that follows.
  const custom: Record<string, unknown> = {};
  for (const key in data) {
    const value = data[key];
    const at = ATTRIBUTE_KEYS.indexOf(key as AttributeKey);
    if (at !== -1) (attributes as unknown[])[at] = value;
    else if (key === "__proto__") Object.defineProperty(custom, key, { value, enumerable: true, writable: true, configurable: true });
    else custom[key] = value;
  }
  return { custom, attributes };
}

/** A category and status: an asset's before an entry or write, or after it. */
export interface Classification {
  category: string | null;
  status: string | null;
}

export const UNCLASSIFIED: Classification = { category: null, status: null };

export const attributeMessages = {
  description: `description: longer than ${MAX_DESCRIPTION} characters or not text; left out`,
  tags: `tags: give a list of tags, or one text of tags separated by commas (each at most ${MAX_TAG_LENGTH} characters, at most ${MAX_TAGS}); left out`,
  reference: (key: string) => `${key}: give an ID or a name`,
  category: (error: string) => `category: ${error}`,
  site: (error: string) => `site_id: ${error}`,
  status: (error: string) => `status: ${error}`,
  statusWithoutCategory: "status: the asset has no category, and a status comes from its category's status set",
  fieldNotInCategory: (key: string, category: string) => `${key}: field '${key}' does not apply to category '${category}'; left out`,
};

/** Tags as a list, a comma-separated text, or null (none); undefined when they are neither. */
export function parseTags(raw: unknown): string[] | null | undefined {
  const items = typeof raw === "string" ? raw.split(",") : Array.isArray(raw) ? raw : undefined;
  if (!items) return undefined;
  const tags: string[] = [];
  for (const item of items) {
    // Within a list, a comma is refused: tags are one text in CSV and XLSX, so a comma would split one tag in two on the way back.
    if (typeof item !== "string" || (Array.isArray(raw) && item.includes(","))) return undefined;
    const tag = item.trim();
    if (tag === "") continue;
    if (characterLength(tag) > MAX_TAG_LENGTH || !isStorableText(tag)) return undefined;
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > MAX_TAGS) return undefined;
  return tags.length === 0 ? null : tags;
}

/** What an entry's attribute keys do, given the asset's classification before it. */
export interface AttributeOutcome {
  /** Attribute values to set (null clears). */
  patch: Partial<Record<AttributeKey, string | string[] | null>>;
  /** The asset's classification after the entry. */
  after: Classification;
  warnings: string[];
  /** Why the entry fails, each reference once (the import reports the first; the API lists all). */
  failures: string[];
}

/** A reference or text as given: numbers count as their digits (a spreadsheet cell of digits is a number). */
function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
}

/**
 * Resolves an entry's attributes against the catalog. A reference that
 * resolves to nothing fails the entry; a description or tags that do not fit
 * are warned about and left out, as a custom value would be. A status comes
 * from the category's status set: an asset given a category and no status
 * keeps its status if the set has it, else takes the set's first status.
 */
export function resolveAttributes(given: Partial<Record<AttributeKey, unknown>>, before: Classification | undefined, catalog: AssetCatalog): AttributeOutcome {
  const patch: AttributeOutcome["patch"] = {};
  const warnings: string[] = [];
  const failures: string[] = [];
  const fail = (message: string) => failures.push(message);
  const was = before ?? UNCLASSIFIED;

  if (Object.hasOwn(given, "description")) {
    const value = typeof given.description === "number" ? asText(given.description) : given.description;
    if (value === null || value === "") patch.description = null;
    else if (typeof value === "string" && characterLength(value) <= MAX_DESCRIPTION && isStorableText(value)) patch.description = value;
    else warnings.push(attributeMessages.description);
  }
  if (Object.hasOwn(given, "tags")) {
    // null clears, as for every value (an empty CSV or XLSX cell with empty_values=clear is null).
    const tags = given.tags === null ? null : parseTags(typeof given.tags === "number" ? asText(given.tags) : given.tags);
    if (tags === undefined) warnings.push(attributeMessages.tags);
    else patch.tags = tags;
  }
  if (Object.hasOwn(given, "site_id")) {
    const value = asText(given.site_id);
    if (given.site_id === null) patch.site_id = null;
    else if (value === undefined) fail(attributeMessages.reference("site_id"));
    else {
      const site = catalog.site(value);
      if ("id" in site) patch.site_id = site.id;
      else fail(attributeMessages.site(site.error));
    }
  }

  let category = was.category;
  if (Object.hasOwn(given, "category")) {
    const value = asText(given.category);
    if (given.category === null) category = null;
    else if (value === undefined) fail(attributeMessages.reference("category"));
    else {
      const resolved = catalog.category(value);
      if ("id" in resolved) category = resolved.id;
      else fail(attributeMessages.category(resolved.error));
    }
  }

  let status = was.status;
  if (Object.hasOwn(given, "status") && given.status !== null) {
    const value = asText(given.status);
    if (value === undefined) fail(attributeMessages.reference("status"));
    else if (category === null) fail(attributeMessages.statusWithoutCategory);
    else {
      const resolved = catalog.status(category, value);
      if ("id" in resolved) status = resolved.id;
      else fail(attributeMessages.status(resolved.error));
    }
  } else if (Object.hasOwn(given, "status")) status = null;
  else if (category !== was.category || before === undefined) {
    // A new category (or a new asset): keep the status where the set has it.
    const set = category === null ? undefined : catalog.statusesOf(category);
    status = set && set.statuses.some((s) => s.id === status) ? status : (set?.statuses[0]?.id ?? null);
  }

  if (category !== was.category || Object.hasOwn(given, "category")) patch.category = category;
  if (status !== was.status || Object.hasOwn(given, "status")) patch.status = status;
  return { patch, after: { category, status }, warnings, failures };
}
