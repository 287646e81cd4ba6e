import type { Field } from "../api/types";

// What an input holds while the user edits, and the value the API is sent.
// Numbers, dates and texts stay the text typed: the API coerces and checks
// them (docs/fields.md), so its own message is the one shown.

export type DraftValue = string | boolean | string[] | null;
export type Draft = Record<string, DraftValue>;

/** The input's value for a stored value of the field. */
export function toDraft(type: Field["type"] | "tags", value: unknown): DraftValue {
  if (type === "Checkbox") return value === true;
  if (type === "MultiSelect" || type === "tags") return Array.isArray(value) ? value.map(String) : [];
  if (type === "Select") return value === null || value === undefined ? null : String(value);
  return value === null || value === undefined ? "" : String(value);
}

/** The value to send for an input's value: null (no value) for an empty one, except for text, where "" is a value. */
export function fromDraft(type: Field["type"] | "tags", draft: DraftValue): unknown {
  if (type === "Checkbox" || type === "tags") return draft;
  if (type === "MultiSelect") return Array.isArray(draft) && draft.length > 0 ? draft : null;
  if (draft === null || draft === "") return null;
  return draft;
}

const same = (a: DraftValue, b: DraftValue) => JSON.stringify(a) === JSON.stringify(b);

/** The keys whose input differs from what was loaded, with the values to send. */
export function changedKeys(before: Draft, after: Draft, typeOf: (key: string) => Field["type"] | "tags"): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (!same(before[key] ?? null, after[key] ?? null)) changes[key] = fromDraft(typeOf(key), after[key] ?? null);
  }
  return changes;
}

/** Shown for a value in the page and the history: "no value" for null. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "no value";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(String).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
