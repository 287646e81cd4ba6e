import { coerceValue } from "../fields/coerce.js";
import type { FieldDefinition, FieldType } from "../fields/field-types.js";
import { badRequest } from "../http/errors.js";
import { setOwn } from "../import/validate-entry.js";
import type { AssetCatalog } from "./catalog.js";

// The one filter, sort and projection syntax of the asset list and the
// export (docs/query.md), turned into a typed query. Every name and operator
// is checked against the tenant's fields: an unknown one is a 400 that names it.

export const OPERATORS = ["eq", "ne", "in", "all", "gt", "gte", "lt", "lte", "contains", "empty", "under"] as const;
export type Operator = (typeof OPERATORS)[number];

/** A system column of the assets table. Times are epoch milliseconds. */
export type SystemColumn =
  | "id"
  | "uid"
  | "name"
  | "created_at"
  | "created_by"
  | "updated_at"
  | "updated_by"
  | "version"
  | "is_active"
  | "deleted_at"
  | "site_id"
  | "description"
  | "tags"
  | "category_id"
  | "status_id";

/** A custom field as queries see it: its definition, and whether its values are indexed. */
export type QueryField = FieldDefinition & { indexed?: boolean };

/** What a filter or sort key reads: a column, or a custom field's value. */
export type Target = { kind: "column"; column: SystemColumn; type: FieldType } | { kind: "field"; field: QueryField };

export type FilterValue = string | number | boolean;

export interface Filter {
  /** As the client wrote it, for messages. */
  param: string;
  target: Target;
  op: Operator;
  values: FilterValue[];
}

export interface SortKey {
  name: string;
  target: Target;
  desc: boolean;
}

export interface AssetQuery {
  search?: string;
  ids?: string[];
  filters: Filter[];
  includeInactive: boolean;
  /** Without the ID, which always breaks ties last. */
  sort: SortKey[];
}

export interface Projection {
  idOnly: boolean;
  /** The keys each asset keeps; undefined keeps every key. */
  keys?: Set<string>;
}

/** The system fields queries read, by the name the flat asset gives them, with their types. */
const SYSTEM_COLUMNS: Record<string, FieldType> = {
  id: "SingleLineText",
  uid: "SingleLineText",
  name: "SingleLineText",
  created_at: "DateTime",
  created_by: "SingleLineText",
  updated_at: "DateTime",
  updated_by: "SingleLineText",
  version: "Integer",
  is_active: "Checkbox",
  deleted_at: "DateTime",
  site_id: "SingleLineText",
  description: "MultiLineText",
  tags: "MultiSelect",
  category: "SingleLineText",
  status: "SingleLineText",
};

/** Where a system field's column has another name. */
const COLUMN_OF: Record<string, SystemColumn> = { category: "category_id", status: "status_id" };

const ORDERED_TYPES = new Set<FieldType>(["Number", "Integer", "Decimal", "Date", "DateTime"]);
const TEXT_TYPES = new Set<FieldType>(["SingleLineText", "MultiLineText", "URL", "Email", "Select"]);
/** Keys of the flat asset that can be projected but not filtered or sorted. */
const READ_ONLY_KEYS = new Set(["site_name"]);

export const typeOf = (target: Target): FieldType => (target.kind === "column" ? target.type : target.field.type);

/** How a sort value travels in a cursor, as its SQL expression yields it. */
export function sortValueKind(target: Target): "number" | "boolean" | "string" {
  const type = typeOf(target);
  if (type === "Number" || type === "Integer" || type === "Decimal") return "number";
  // Columns are numbers: times in epoch milliseconds, is_active as 1 or 0.
  if (target.kind === "column" && (type === "DateTime" || type === "Checkbox")) return "number";
  if (type === "Checkbox") return "boolean";
  return "string";
}

export const MAX_SORT_KEYS = 5;
export const MAX_FILTERS = 50;

/** The query parameters the list and the export share, as validated by their schema. */
export interface ListParams {
  search?: string;
  ids?: string;
  include_inactive?: boolean;
  [key: string]: unknown;
}

export function resolveTarget(name: string, fields: ReadonlyMap<string, QueryField>, use: string): Target {
  if (Object.hasOwn(SYSTEM_COLUMNS, name)) return { kind: "column", column: COLUMN_OF[name] ?? (name as SystemColumn), type: SYSTEM_COLUMNS[name]! };
  const field = fields.get(name);
  if (field) return { kind: "field", field };
  if (READ_ONLY_KEYS.has(name)) throw badRequest(`${use}: '${name}' cannot be filtered or sorted`);
  throw badRequest(`${use}: no field named '${name}'`);
}

export function parseAssetQuery(params: ListParams, fields: ReadonlyMap<string, QueryField>, catalog: AssetCatalog): AssetQuery {
  const query: AssetQuery = { filters: [], includeInactive: params.include_inactive === true, sort: parseSort(params, fields) };
  if (params.search !== undefined && params.search !== "") query.search = params.search;
  if (params.ids !== undefined) query.ids = splitList(params.ids).filter((id) => id !== "");
  for (const [param, raw] of Object.entries(params)) {
    if (!param.startsWith("filter[")) continue;
    query.filters.push(parseFilter(param, raw, fields, catalog));
  }
  if (query.filters.length > MAX_FILTERS) throw badRequest(`at most ${MAX_FILTERS} filters are allowed`);
  // A filter on is_active or deleted_at asks about deleted assets: it lifts the default.
  if (query.filters.some((f) => f.target.kind === "column" && (f.target.column === "is_active" || f.target.column === "deleted_at"))) {
    query.includeInactive = true;
  }
  return query;
}

/** `a,b,c`: the list separator of `ids`, `fields` and `in`/`all` values. */
function splitList(value: string): string[] {
  return value.split(",").map((s) => s.trim());
}

function parseSort(params: ListParams, fields: ReadonlyMap<string, QueryField>): SortKey[] {
  const sort: SortKey[] = [];
  for (let n = 1; n <= MAX_SORT_KEYS; n++) {
    const suffix = n === 1 ? "" : String(n);
    const name = params[`order${suffix}`] as string | undefined;
    const desc = params[`orderdesc${suffix}`] as boolean | undefined;
    if (name === undefined) {
      if (desc !== undefined) throw badRequest(`orderdesc${suffix} needs order${suffix}`);
      continue;
    }
    if (n > 1 && params[`order${n === 2 ? "" : n - 1}`] === undefined) throw badRequest(`order${suffix} needs order${n === 2 ? "" : n - 1}`);
    const target = resolveTarget(name, fields, `order${suffix}`);
    if (typeOf(target) === "MultiSelect") throw badRequest(`order${suffix}: MultiSelect field '${name}' cannot be sorted`);
    if (sort.some((k) => k.name === name)) throw badRequest(`order${suffix}: '${name}' is already a sort key`);
    sort.push({ name, target, desc: desc === true });
  }
  // The ID is unique: keys after it would never decide anything.
  const idAt = sort.findIndex((k) => k.name === "id");
  return idAt === -1 ? sort : sort.slice(0, idAt + 1);
}

function parseFilter(param: string, raw: unknown, fields: ReadonlyMap<string, QueryField>, catalog: AssetCatalog): Filter {
  if (!param.endsWith("]")) throw badRequest(`${param}: write filter[<field>] or filter[<field>][<operator>]`);
  const inner = param.slice("filter[".length, -1);
  const withOp = /^(.*)\]\[([a-z]+)$/s.exec(inner);
  let name = inner;
  let op: Operator = "eq";
  if (withOp) {
    if (!(OPERATORS as readonly string[]).includes(withOp[2]!)) {
      throw badRequest(`${param}: unknown operator '${withOp[2]}'; use one of ${OPERATORS.join(", ")}`);
    }
    name = withOp[1]!;
    op = withOp[2] as Operator;
  }
  const target = resolveTarget(name, fields, param);
  const type = typeOf(target);
  checkOperator(param, op, target, name);

  const occurrences = Array.isArray(raw) ? raw.map(String) : [String(raw)];
  const listed = op === "in" || op === "all" || op === "under";
  if (occurrences.length > 1 && !listed) throw badRequest(`${param} is given more than once`);
  // One occurrence is a comma-separated list; repeating the parameter gives
  // one value per occurrence, for values that contain a comma.
  const texts = listed ? (occurrences.length > 1 ? occurrences : splitList(occurrences[0]!)) : occurrences;
  if (op === "empty") {
    const value = texts[0]!.trim().toLowerCase();
    if (value !== "true" && value !== "false") throw badRequest(`${param}: give true or false`);
    return { param, target, op, values: [value === "true"] };
  }
  if (op === "contains") {
    if (texts[0] === "") throw badRequest(`${param}: give the text to look for`);
    return { param, target, op, values: [texts[0]!.toLowerCase()] };
  }
  if (target.kind === "column" && target.column === "category_id") return categoryFilter(param, target, op, texts, catalog);
  return { param, target, op, values: texts.map((text) => filterValue(param, target, text)) };
}

/** Categories are named by ID or by a name only one has; `under` is the category and every category below it. */
function categoryFilter(param: string, target: Target, op: Operator, texts: string[], catalog: AssetCatalog): Filter {
  const ids = texts.map((text) => {
    const resolved = catalog.category(text);
    if ("error" in resolved) throw badRequest(`${param}: ${resolved.error}`);
    return resolved.id;
  });
  if (op === "under") return { param, target, op: "in", values: [...new Set(ids.flatMap((id) => catalog.subtree(id)))] };
  return { param, target, op, values: ids };
}

function checkOperator(param: string, op: Operator, target: Target, name: string): void {
  const type = typeOf(target);
  const fits =
    op === "gt" || op === "gte" || op === "lt" || op === "lte"
      ? ORDERED_TYPES.has(type)
      : op === "contains"
        ? TEXT_TYPES.has(type)
        : op === "all"
          ? type === "MultiSelect"
          : op === "under"
            ? target.kind === "column" && target.column === "category_id"
            : true;
  if (!fits) throw badRequest(`${param}: operator '${op}' does not apply to '${name}' (${type})`);
}

/** A value as the client wrote it, typed like the stored values it is compared with. */
function filterValue(param: string, target: Target, text: string): FilterValue {
  if (target.kind === "column") {
    switch (target.type) {
      case "DateTime": {
        // A date alone means its first instant, UTC.
        const coerced = coerceValue({ name: target.column, type: "DateTime" }, /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? `${text.trim()}T00:00:00Z` : text);
        if (!coerced.ok) throw badRequest(`${param}: '${text}' is not an RFC 3339 time or a date`);
        return Date.parse(coerced.value as string);
      }
      case "Integer": {
        const coerced = coerceValue({ name: target.column, type: "Integer" }, text);
        if (!coerced.ok) throw badRequest(`${param}: '${text}' is not an integer`);
        return coerced.value as number;
      }
      case "Checkbox": {
        const coerced = coerceValue({ name: target.column, type: "Checkbox" }, text);
        if (!coerced.ok) throw badRequest(`${param}: give true or false`);
        // is_active is an integer column on both backends.
        return coerced.value ? 1 : 0;
      }
      default:
        return text;
    }
  }
  const { field } = target;
  // A MultiSelect filter names options one at a time.
  const definition: FieldDefinition = field.type === "MultiSelect" ? { ...field, type: "Select" } : field;
  const coerced = coerceValue(definition, text);
  if (!coerced.ok) throw badRequest(`${param}: '${text}' is not a valid value for '${field.name}' (${field.type})`);
  return coerced.value as FilterValue;
}

/** `idonly=true` and `fields=a,b`: what each listed asset keeps. */
export function parseProjection(idOnly: boolean | undefined, fieldList: string | undefined, fields: ReadonlyMap<string, QueryField>): Projection {
  if (idOnly === true) return { idOnly: true };
  if (fieldList === undefined) return { idOnly: false };
  const keys = new Set(["id"]);
  for (const name of splitList(fieldList)) {
    if (name === "") continue;
    if (!Object.hasOwn(SYSTEM_COLUMNS, name) && !READ_ONLY_KEYS.has(name) && !fields.has(name)) throw badRequest(`fields: no field named '${name}'`);
    keys.add(name);
  }
  return { idOnly: false, keys };
}

export function project<T extends { id: string }>(asset: T & Record<string, unknown>, projection: Projection): { id: string } & Record<string, unknown> {
  if (projection.idOnly) return { id: asset.id };
  if (!projection.keys) return asset;
  const out: { id: string } & Record<string, unknown> = { id: asset.id };
  for (const key of projection.keys) if (Object.hasOwn(asset, key)) setOwn(out, key, asset[key]);
  return out;
}
