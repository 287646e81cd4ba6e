import { api, data } from "../api/client";
import type { Category, Field, Site, StatusSet } from "./admin-types";

// The lists every admin section reads whole: small per tenant (a page of 1,000 holds
// them in practice), read page by page so that a larger one is still complete.

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

export const listCustomFields = (): Promise<Field[]> =>
  allPages((page) => data(api.GET("/api/v4/asset-fields", { params: { query: { page, limit: 1000, system: false } } })));
export const listCategories = (): Promise<Category[]> => allPages((page) => data(api.GET("/api/v4/categories", query(page))));
export const listStatusSets = (): Promise<StatusSet[]> => allPages((page) => data(api.GET("/api/v4/status-sets", query(page))));
export const listSites = (): Promise<Site[]> => allPages((page) => data(api.GET("/api/v4/sites", query(page))));

export const adminKeys = {
  fields: ["admin", "fields"] as const,
  categories: ["admin", "categories"] as const,
  statusSets: ["admin", "status-sets"] as const,
  sites: ["admin", "sites"] as const,
  users: ["admin", "users"] as const,
  apiKeys: ["admin", "api-keys"] as const,
  audit: ["admin", "audit"] as const,
  tenants: ["admin", "tenants"] as const,
};
