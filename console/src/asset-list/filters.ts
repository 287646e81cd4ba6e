import type { Column, Names } from "./columns";
import type { Operator, ViewFilter } from "./view";

/** Which editor a field's filter takes, from its type and, for the asset model's keys, its meaning. */
export type FilterKind = "text" | "number" | "date" | "datetime" | "options" | "checkbox" | "category" | "status" | "site" | "tags";

export function filterKind(column: Column): FilterKind {
  if (column.key === "category") return "category";
  if (column.key === "status") return "status";
  if (column.key === "site_id") return "site";
  if (column.key === "tags") return "tags";
  switch (column.type) {
    case "Number":
    case "Integer":
    case "Decimal":
      return "number";
    case "Date":
      return "date";
    case "DateTime":
      return "datetime";
    case "Select":
    case "MultiSelect":
      return "options";
    case "Checkbox":
      return "checkbox";
    default:
      return "text";
  }
}

const WORDS: Record<Operator, string> = {
  eq: "is",
  ne: "is not",
  in: "is one of",
  all: "has all of",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  contains: "contains",
  empty: "is empty",
  under: "is in",
};

/** A filter in words, for its chip: "Category is in IT equipment (and below)", "weight_kg ≥ 3". */
export function describeFilter(filter: ViewFilter, column: Column | undefined, names: Names): string {
  const label = column?.label ?? filter.field;
  const value = (text: string) => {
    if (filter.field === "category") return names.categories.get(text)?.name ?? text;
    if (filter.field === "status") return names.statuses.get(text) ?? text;
    if (filter.field === "site_id") return names.sites.get(text)?.name ?? text;
    if (text === "true" && column?.type === "Checkbox") return "yes";
    if (text === "false" && column?.type === "Checkbox") return "no";
    return text;
  };
  const values = filter.values.flatMap((v) => (filter.op === "in" || filter.op === "all" || filter.op === "under") && filter.values.length === 1 ? v.split(",") : [v]).map(value);
  if (filter.op === "empty") return `${label} ${filter.values[0] === "false" ? "has a value" : "is empty"}`;
  if (filter.op === "under") return `${label} is in ${values.join(" or ")} (and below)`;
  const tagLike = filter.field === "tags" || column?.type === "MultiSelect";
  const word = tagLike && filter.op === "eq" ? "has" : tagLike && filter.op === "in" ? "has any of" : WORDS[filter.op];
  return `${label} ${word} ${values.join(", ")}`;
}

/** The view's filters with `added` in place of any filter of the same field and operator. */
export function putFilters(filters: ViewFilter[], added: ViewFilter[]): ViewFilter[] {
  const kept = filters.filter((f) => !added.some((a) => a.field === f.field && a.op === f.op));
  return [...kept, ...added];
}

/** `in` with one value is `eq`; several go as one comma list, or as repeats where one holds a comma. */
export function listFilter(field: string, values: string[], op: "in" | "all" = "in"): ViewFilter[] {
  if (values.length === 0) return [];
  if (values.length === 1 && op === "in") return [{ field, op: "eq", values }];
  return [{ field, op, values: values.some((v) => v.includes(",")) ? values : [values.join(",")] }];
}
