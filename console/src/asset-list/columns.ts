import type { Field, FieldType } from "../api/types";
import { formatTime } from "../ui/format";
import type { Category, Site, StatusSet } from "../api/types";
import type { Asset } from "./assets-api";

/** A column of the table: a system field or a custom field, by the key the flat asset gives it. */
export interface Column {
  key: string;
  label: string;
  type: FieldType;
  system: boolean;
  sortable: boolean;
  /** A Select's or MultiSelect's options. */
  options?: string[];
}

export const DEFAULT_COLUMNS = ["id", "name", "category", "status", "site_id", "updated_at"];

/** The system columns, in the chooser's order, with the words a person reads. */
const SYSTEM_COLUMNS: Array<Omit<Column, "system" | "sortable">> = [
  { key: "id", label: "ID", type: "SingleLineText" },
  { key: "name", label: "Name", type: "SingleLineText" },
  { key: "category", label: "Category", type: "SingleLineText" },
  { key: "status", label: "Status", type: "SingleLineText" },
  // The site reads as its name; it sorts and filters by its ID (site_name is read-only in queries).
  { key: "site_id", label: "Site", type: "SingleLineText" },
  { key: "description", label: "Description", type: "MultiLineText" },
  { key: "tags", label: "Tags", type: "MultiSelect" },
  { key: "created_at", label: "Created", type: "DateTime" },
  { key: "created_by", label: "Created by", type: "SingleLineText" },
  { key: "updated_at", label: "Updated", type: "DateTime" },
  { key: "updated_by", label: "Updated by", type: "SingleLineText" },
  { key: "version", label: "Version", type: "Integer" },
  { key: "uid", label: "UID", type: "SingleLineText" },
  { key: "is_active", label: "Active", type: "Checkbox" },
  { key: "deleted_at", label: "Deleted", type: "DateTime" },
];

/** Every column the chooser offers: the system ones, then each custom field by name. */
export function allColumns(fields: Field[]): Column[] {
  const system = SYSTEM_COLUMNS.map((c) => ({ ...c, system: true, sortable: c.type !== "MultiSelect" }));
  const custom = fields
    .filter((f) => !f.system)
    .map((f) => ({ key: f.name, label: f.name, type: f.type, system: false, sortable: f.type !== "MultiSelect", ...(f.options ? { options: f.options } : {}) }));
  return [...system, ...custom];
}

/** The columns of the view, in the order chosen; names no field has any more are left out. */
export function visibleColumns(all: Column[], chosen: string[] | null): Column[] {
  const byKey = new Map(all.map((c) => [c.key, c]));
  const keys = chosen && chosen.length > 0 ? chosen : DEFAULT_COLUMNS;
  const columns = keys.flatMap((key) => byKey.get(key) ?? []);
  return columns.some((c) => c.key === "id") ? columns : [byKey.get("id")!, ...columns];
}

/**
 * The `fields=` projection of the view's columns, known from the URL alone so that the rows are asked
 * for without waiting for the list of fields (a column no field has is the API's 400, in words).
 * Null where a name holds a comma, the list's separator: then every key comes.
 */
export function projection(chosen: string[] | null): string[] | null {
  const keys = ["id", ...(chosen && chosen.length > 0 ? chosen : DEFAULT_COLUMNS)].flatMap((key) => (key === "site_id" ? [key, "site_name"] : [key]));
  const unique = [...new Set(keys)];
  return unique.some((key) => key.includes(",")) ? null : unique;
}

export const isNumeric = (type: FieldType) => type === "Number" || type === "Integer" || type === "Decimal";

export interface Names {
  categories: Map<string, Category>;
  statuses: Map<string, string>;
  sites: Map<string, Site>;
}

export function namesOf(categories: Category[] | undefined, statusSets: StatusSet[] | undefined, sites: Site[] | undefined): Names {
  const statuses = new Map<string, string>();
  for (const set of statusSets ?? []) for (const status of set.statuses) if (!statuses.has(status.id)) statuses.set(status.id, status.name);
  return { categories: new Map((categories ?? []).map((c) => [c.id, c])), statuses, sites: new Map((sites ?? []).map((s) => [s.id, s])) };
}

const numbers = new Intl.NumberFormat("en", { maximumFractionDigits: 10 });

/** A cell's text: names for the catalog's IDs, times in the reader's zone, lists joined. */
export function cellText(asset: Asset, column: Column, names: Names): string {
  const value = asset[column.key];
  if (value === undefined || value === null || value === "") return "";
  if (column.key === "category") return names.categories.get(String(value))?.name ?? String(value);
  if (column.key === "status") return names.statuses.get(String(value)) ?? String(value);
  if (column.key === "site_id") return typeof asset.site_name === "string" && asset.site_name !== "" ? asset.site_name : String(value);
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return numbers.format(value);
  if (column.type === "DateTime" && typeof value === "string") return formatTime(value);
  return String(value);
}
