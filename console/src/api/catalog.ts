import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, data } from "./client";
import type { Category, Field, Site, StatusSet } from "./types";

// The tenant's catalog: its fields, categories, status sets and sites. Every
// screen reads them whole and through these calls and keys, so that one
// cached copy serves them all and an admin's change refreshes every screen.
// They are small (a page of 1,000 holds them in practice) and read page by
// page, so that a larger one is still complete.

interface Page<T> {
  collection: T[];
  total_pages: number;
}

async function allPages<T>(read: (page: number) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const result = await read(page);
    items.push(...result.collection);
    if (page >= result.total_pages) return items;
  }
}

const query = (page: number) => ({ params: { query: { page, limit: 1000 } } });

/** Every field of the tenant, system fields first. */
export const listFields = (): Promise<Field[]> => allPages((page) => data(api.GET("/api/v4/asset-fields", query(page))));
export const listCustomFields = (): Promise<Field[]> =>
  allPages((page) => data(api.GET("/api/v4/asset-fields", { params: { query: { page, limit: 1000, system: false } } })));
export const listCategories = (): Promise<Category[]> => allPages((page) => data(api.GET("/api/v4/categories", query(page))));
export const listStatusSets = (): Promise<StatusSet[]> => allPages((page) => data(api.GET("/api/v4/status-sets", query(page))));
export const listSites = (): Promise<Site[]> => allPages((page) => data(api.GET("/api/v4/sites", query(page))));

export const catalogKeys = {
  all: ["catalog"] as const,
  fields: ["catalog", "fields"] as const,
  customFields: ["catalog", "custom-fields"] as const,
  categories: ["catalog", "categories"] as const,
  statusSets: ["catalog", "status-sets"] as const,
  sites: ["catalog", "sites"] as const,
};

// Admins change the catalog rarely; a minute's staleness is what the screens that only read it accept.
const STALE_MS = 60_000;

export const catalogQueries = {
  fields: queryOptions({ queryKey: catalogKeys.fields, queryFn: listFields, staleTime: STALE_MS }),
  customFields: queryOptions({ queryKey: catalogKeys.customFields, queryFn: listCustomFields, staleTime: STALE_MS }),
  categories: queryOptions({ queryKey: catalogKeys.categories, queryFn: listCategories, staleTime: STALE_MS }),
  statusSets: queryOptions({ queryKey: catalogKeys.statusSets, queryFn: listStatusSets, staleTime: STALE_MS }),
  sites: queryOptions({ queryKey: catalogKeys.sites, queryFn: listSites, staleTime: STALE_MS }),
};

export const useFields = () => useQuery(catalogQueries.fields);
export const useCategories = () => useQuery(catalogQueries.categories);
export const useStatusSets = () => useQuery(catalogQueries.statusSets);
export const useSites = () => useQuery(catalogQueries.sites);
