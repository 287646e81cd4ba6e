import { useQuery } from "@tanstack/react-query";
import { api, data } from "../api/client";
import type { Field } from "../api/types";
import type { Category, Site, StatusSet } from "./asset-api";

// The tenant's definitions an asset is read and edited against: its custom
// fields, categories, status sets and sites. They change rarely (admins), so
// they are read once a minute at most, up to the API's page limit of 1,000 each.

const LIMIT = 1000;

export interface Catalog {
  fields: Field[];
  fieldByName: Map<string, Field>;
  categories: Category[];
  categoryById: Map<string, Category>;
  statusSetById: Map<string, StatusSet>;
  sites: Site[];
}

async function loadCatalog(): Promise<Catalog> {
  const [fields, categories, statusSets, sites] = await Promise.all([
    data(api.GET("/api/v4/asset-fields", { params: { query: { system: false, limit: LIMIT } } })),
    data(api.GET("/api/v4/categories", { params: { query: { limit: LIMIT } } })),
    data(api.GET("/api/v4/status-sets", { params: { query: { limit: LIMIT } } })),
    data(api.GET("/api/v4/sites", { params: { query: { limit: LIMIT } } })),
  ]);
  return {
    fields: fields.collection,
    fieldByName: new Map(fields.collection.map((f) => [f.name, f])),
    categories: categories.collection,
    categoryById: new Map(categories.collection.map((c) => [c.id, c])),
    statusSetById: new Map(statusSets.collection.map((s) => [s.id, s])),
    sites: sites.collection,
  };
}

export function useCatalog() {
  return useQuery({ queryKey: ["asset-page", "catalog"], queryFn: loadCatalog, staleTime: 60_000 });
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
