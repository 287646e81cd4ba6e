import type { ComboboxItem, ComboboxItemGroup } from "@mantine/core";
import type { ColumnsOption } from "../api/upload";
import type { Field, FieldType, PreviewColumn } from "../api/types";

/** A column's key as imported; null: left out. */
export type Mapping = Record<string, string | null>;

/** The asset model's keys an import sets (docs/assets.md), besides id and name. */
export const ATTRIBUTES = ["category", "status", "site_id", "description", "tags"] as const;

const FIELD_TYPES: readonly FieldType[] = ["SingleLineText", "MultiLineText", "Number", "Integer", "Decimal", "Checkbox", "Date", "DateTime", "Select", "MultiSelect", "URL", "Email"];

/** Values of a column's Select: a key, the column as it is, left out, or a field to create. */
export const AS_IS = "as-is";
export const LEAVE_OUT = "leave-out";
export const CREATE = "create";
const keyValue = (key: string) => `key:${key}`;

/** The service's suggestion for new columns; choices already made are kept. */
export function suggestedMapping(columns: PreviewColumn[], previous: Mapping): Mapping {
  return Object.fromEntries(columns.map((column) => [column.name, Object.hasOwn(previous, column.name) ? previous[column.name]! : column.target]));
}

/** The `columns` option: only the columns imported under another key than their own (null: left out). */
export function columnsOption(mapping: Mapping): ColumnsOption | undefined {
  const changed = Object.entries(mapping).filter(([column, target]) => target !== column);
  return changed.length > 0 ? Object.fromEntries(changed) : undefined;
}

/** Keys more than one column would be imported as: each such key with its columns. */
export function clashes(mapping: Mapping): Array<{ key: string; columns: string[] }> {
  const byKey = new Map<string, string[]>();
  for (const [column, target] of Object.entries(mapping)) if (target !== null) byKey.set(target, [...(byKey.get(target) ?? []), column]);
  return [...byKey].filter(([, columns]) => columns.length > 1).map(([key, columns]) => ({ key, columns }));
}

export function hasId(mapping: Mapping): boolean {
  return Object.values(mapping).some((target) => target === "id" || target === "uid");
}

export function customFields(fields: Field[]): Field[] {
  return fields.filter((field) => !field.system);
}

/** The key the Select's value stands for, for a column. */
export function targetOf(value: string, column: string): string | null {
  if (value === LEAVE_OUT) return null;
  if (value === AS_IS) return column;
  return value.startsWith("key:") ? value.slice(4) : column;
}

/** The field type to create a column's field with: the suggestion when it is one. */
export function typeToCreate(column: PreviewColumn): FieldType {
  const suggested = column.suggested_type as FieldType | undefined;
  return suggested && FIELD_TYPES.includes(suggested) ? suggested : "SingleLineText";
}

/** The Select's value for a column's target. */
export function valueOf(target: string | null, column: string, knownKeys: ReadonlySet<string>): string {
  if (target === null) return LEAVE_OUT;
  if (target === column && !knownKeys.has(column)) return AS_IS;
  return keyValue(target);
}

export function knownKeys(fields: Field[]): Set<string> {
  return new Set(["id", "uid", "name", ...ATTRIBUTES, ...customFields(fields).map((field) => field.name)]);
}

/** The choices of a column's target, grouped. */
export function targetChoices(column: PreviewColumn, target: string | null, fields: Field[], admin: boolean): ComboboxItemGroup<ComboboxItem>[] {
  const name = column.name;
  const custom = customFields(fields);
  const known = knownKeys(fields);
  const groups: ComboboxItemGroup<ComboboxItem>[] = [
    {
      group: "Asset",
      items: [
        { value: keyValue("id"), label: "ID (id)" },
        { value: keyValue("uid"), label: "ID when id is empty (uid)" },
        { value: keyValue("name"), label: "Name (name)" },
      ],
    },
    { group: "Attributes", items: ATTRIBUTES.map((key) => ({ value: keyValue(key), label: key })) },
  ];
  if (custom.length > 0) groups.push({ group: "Custom fields", items: custom.map((field) => ({ value: keyValue(field.name), label: `${field.name} (${field.type})` })) });
  const other: ComboboxItem[] = [];
  // A key the service suggested that is none of the above (a system field, say): kept as a choice.
  if (target !== null && target !== name && !known.has(target)) other.push({ value: keyValue(target), label: target });
  if (!known.has(name)) other.push({ value: AS_IS, label: `as it is: ${name} (${isSystemField(name, fields) ? "system field" : "unknown field"}, warned)` });
  if (admin && !known.has(name) && !isSystemField(name, fields) && name.trim() !== "") {
    other.push({ value: CREATE, label: `create field ${name} (${typeToCreate(column)})` });
  }
  other.push({ value: LEAVE_OUT, label: "leave out" });
  groups.push({ group: "Other", items: other });
  return groups;
}

function isSystemField(name: string, fields: Field[]): boolean {
  const lower = name.toLowerCase();
  return fields.some((field) => field.system && field.name.toLowerCase() === lower);
}

/** What a column's current target is, for its badge: the ID, the name, an attribute, a field (with its type), left out, or no match. */
export function matchLabel(target: string | null, fields: Field[]): { label: string; matched: boolean } {
  if (target === null) return { label: "left out", matched: false };
  if (target === "id" || target === "uid") return { label: "ID", matched: true };
  if (target === "name") return { label: "name", matched: true };
  if ((ATTRIBUTES as readonly string[]).includes(target)) return { label: "attribute", matched: true };
  const field = customFields(fields).find((candidate) => candidate.name === target);
  return field ? { label: `field · ${field.type}`, matched: true } : { label: "no match", matched: false };
}
