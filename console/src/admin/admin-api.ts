// The admin sections read the catalog through the shared queries (api/catalog.ts),
// always afresh: an admin edits what another admin may just have changed.
export const FRESH = { staleTime: 0 } as const;

export const adminKeys = {
  users: ["admin", "users"] as const,
  apiKeys: ["admin", "api-keys"] as const,
  audit: ["admin", "audit"] as const,
  tenants: ["admin", "tenants"] as const,
};
