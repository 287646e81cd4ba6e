import type { Services } from "../services.js";
import type { AuditEvent } from "./audit.js";

type Bound<F> = F extends (tenantId: number, ...rest: infer A) => infer R ? (...rest: A) => R : never;
type BoundMethods<R, K extends keyof R> = { [P in K]: Bound<R[P]> };

function bind<R extends object, K extends keyof R>(repository: R, tenantId: number, methods: readonly K[]): BoundMethods<R, K> {
  const bound = {} as BoundMethods<R, K>;
  for (const method of methods) {
    const fn = repository[method] as (tenantId: number, ...rest: unknown[]) => unknown;
    bound[method] = ((...rest: unknown[]) => fn.call(repository, tenantId, ...rest)) as Bound<R[K]>;
  }
  return bound;
}

/**
 * The repositories as one tenant sees them, every method already bound to
 * the tenant: a route is handed this for the caller's tenant and has no way
 * to name another, so isolation does not depend on each route remembering
 * a `where tenant_id`.
 */
export function tenantStore(services: Services, tenantId: number) {
  const { fields, assets, assetChanges, assetWriter, imports, users, apiKeys, audit, sites, statusSets, categories, catalogs } = services;
  return {
    /** Stamped on what the tenant creates (imports); never used to read. */
    tenantId,
    fields: bind(fields, tenantId, ["list", "get", "create", "update", "anyAssetHoldsValue", "distinctValues", "delete"]),
    assets: bind(assets, tenantId, ["list", "count", "groups", "tally", "get", "getMany", "highestInSeries"]),
    assetChanges: bind(assetChanges, tenantId, ["forAsset", "feed"]),
    assetWriter: {
      write: (context: Omit<Parameters<typeof assetWriter.write>[0], "tenantId">, decide: Parameters<typeof assetWriter.write>[1]) =>
        assetWriter.write({ ...context, tenantId }, decide),
      writeMany: (context: Omit<Parameters<typeof assetWriter.writeMany>[0], "tenantId">, ids: string[], decide: Parameters<typeof assetWriter.writeMany>[2]) =>
        assetWriter.writeMany({ ...context, tenantId }, ids, decide),
    },
    /** Sites, categories and status sets, as of now. */
    catalog: () => catalogs.read(tenantId),
    imports: bind(imports, tenantId, ["get", "latest", "list", "requestCancel"]),
    users: bind(users, tenantId, ["list", "get", "create", "update"]),
    sites: bind(sites, tenantId, ["list", "get", "create", "update", "delete"]),
    statusSets: bind(statusSets, tenantId, ["list", "get", "create", "update", "delete"]),
    categories: bind(categories, tenantId, ["all", "get", "create", "update", "delete"]),
    apiKeys: bind(apiKeys, tenantId, ["create", "list", "get", "delete", "deleteOfUser"]),
    audit: {
      record: (event: Omit<AuditEvent, "tenantId">, at: number) => audit.record({ ...event, tenantId }, at),
      list: (filter: { event?: string; includeUnattributed: boolean }, offset: number, limit: number) => audit.list(tenantId, filter, offset, limit),
    },
  };
}

export type TenantStore = ReturnType<typeof tenantStore>;
