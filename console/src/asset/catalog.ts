import { useQueries } from "@tanstack/react-query";
import { catalogQueries } from "../api/catalog";
import type { Category, Field, Site, StatusSet } from "../api/types";

// The tenant's definitions an asset is read and edited against, from the shared
// catalog queries, with the lookups the asset page and the create form need.

export interface Catalog {
  fields: Field[];
  fieldByName: Map<string, Field>;
  categories: Category[];
  categoryById: Map<string, Category>;
  statusSetById: Map<string, StatusSet>;
  sites: Site[];
}

/** The catalog once its four lists are read; `isPending`, `isError`, `error` and `refetch` as for one query. */
export function useCatalog() {
  return useQueries({
    queries: [catalogQueries.customFields, catalogQueries.categories, catalogQueries.statusSets, catalogQueries.sites],
    combine: ([fields, categories, statusSets, sites]) => {
      const all = [fields, categories, statusSets, sites];
      const failed = all.find((result) => result.isError);
      const data: Catalog | undefined =
        fields.data && categories.data && statusSets.data && sites.data
          ? {
              fields: fields.data,
              fieldByName: new Map(fields.data.map((f) => [f.name, f])),
              categories: categories.data,
              categoryById: new Map(categories.data.map((c) => [c.id, c])),
              statusSetById: new Map(statusSets.data.map((s) => [s.id, s])),
              sites: sites.data,
            }
          : undefined;
      return {
        data,
        isPending: all.some((result) => result.isPending),
        isError: failed !== undefined,
        error: failed?.error ?? null,
        refetch: () => Promise.all(all.filter((result) => result.isError).map((result) => result.refetch())),
      };
    },
  });
}

/** "IT equipment › Laptops": the category's names from the top. */
export function categoryPathName(catalog: Catalog, categoryId: string | null): string {
  if (categoryId === null) return "";
  const category = catalog.categoryById.get(categoryId);
  if (!category) return categoryId;
  return category.path.map((id) => catalog.categoryById.get(id)?.name ?? id).join(" › ");
}

/** The statuses an asset of the category may have: its status set's, nearest ancestor's included. */
export function statusesOf(catalog: Catalog, categoryId: string | null): StatusSet["statuses"] {
  const setId = categoryId === null ? null : catalog.categoryById.get(categoryId)?.effective_status_set_id;
  return (setId && catalog.statusSetById.get(setId)?.statuses) || [];
}

export function statusName(catalog: Catalog, categoryId: string | null, statusId: string | null): string {
  if (statusId === null) return "";
  return statusesOf(catalog, categoryId).find((s) => s.id === statusId)?.name ?? statusId;
}

export interface FieldGroup {
  /** The category the fields come from; null for "Other fields". */
  category: Category | null;
  title: string;
  fields: Field[];
}

/**
 * The custom fields of an asset of the category, grouped by the category that
 * brings them (the top one first), then "Other fields": for an asset without a
 * category every field (all apply), else the fields it holds a value of that do
 * not apply (kept from an earlier category).
 */
export function fieldGroups(catalog: Catalog, categoryId: string | null, heldNames: Iterable<string>): FieldGroup[] {
  const category = categoryId === null ? undefined : catalog.categoryById.get(categoryId);
  const groups: FieldGroup[] = [];
  const placed = new Set<string>();
  for (const id of category?.path ?? []) {
    const level = catalog.categoryById.get(id);
    if (!level) continue;
    const fields = level.fields.flatMap((name) => (placed.has(name) ? [] : [catalog.fieldByName.get(name)].filter((f): f is Field => f !== undefined)));
    fields.forEach((f) => placed.add(f.name));
    if (fields.length > 0) groups.push({ category: level, title: level.name, fields });
  }
  const held = new Set(heldNames);
  const others = catalog.fields.filter((f) => !placed.has(f.name) && (category === undefined || held.has(f.name)));
  if (others.length > 0) groups.push({ category: null, title: "Other fields", fields: others });
  return groups;
}

/** Whether a value of the field may be written to an asset of the category. */
export function applies(catalog: Catalog, categoryId: string | null, fieldName: string): boolean {
  if (categoryId === null) return true;
  const category = catalog.categoryById.get(categoryId);
  return category ? category.effective_fields.includes(fieldName) : true;
}
