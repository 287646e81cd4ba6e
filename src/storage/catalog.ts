import { sql, type Kysely } from "kysely";
import { AssetCatalog } from "../assets/catalog.js";
import type { Status } from "./status-sets.js";
import type { DB } from "./schema.js";

// The catalog (sites, categories, status sets) as asset writers check
// against it. A change to it first takes the tenant's row lock (lockCatalog),
// the lock every asset writer takes first (lockTenantChanges), and raises
// the tenant's catalog_version once it has changed something
// (catalogChanged): a writer holding the lock reads a version that cannot
// change before it commits, and a catalog change waits for writers in
// flight, so an in-use check cannot miss an assignment being made.

/** Call first in every transaction that may change the catalog. */
export async function lockCatalog(trx: Kysely<DB>, tenantId: number): Promise<void> {
  // An UPDATE, as in lockTenantChanges: SQLite takes its write lock at once.
  await sql`update tenants set catalog_version = catalog_version where id = ${tenantId}`.execute(trx);
}

/** Call, holding the lock, once the catalog has changed: a refused change leaves the version as it was. */
export async function catalogChanged(trx: Kysely<DB>, tenantId: number): Promise<void> {
  await sql`update tenants set catalog_version = catalog_version + 1 where id = ${tenantId}`.execute(trx);
}

export async function catalogVersion(executor: Kysely<DB>, tenantId: number): Promise<number> {
  const row = await executor.selectFrom("tenants").select("catalog_version").where("id", "=", tenantId).executeTakeFirst();
  return Number(row?.catalog_version ?? 0);
}

/** The tenant's catalog as `executor` sees it. */
export async function readCatalog(executor: Kysely<DB>, tenantId: number, version = 0): Promise<AssetCatalog> {
    const [categories, fields, sets, sites] = await Promise.all([
      executor.selectFrom("categories").select(["id", "name", "parent_id", "status_set_id", "created_at", "updated_at"]).where("tenant_id", "=", tenantId).execute(),
      executor.selectFrom("category_fields").select(["category_id", "field_name"]).where("tenant_id", "=", tenantId).orderBy("position").orderBy("field_name").execute(),
      executor.selectFrom("status_sets").select(["id", "name", "statuses", "created_at", "updated_at"]).where("tenant_id", "=", tenantId).execute(),
      executor.selectFrom("sites").select(["id", "name", "description", "created_at", "updated_at"]).where("tenant_id", "=", tenantId).execute(),
    ]);
    const fieldsOf = new Map<string, string[]>();
    for (const f of fields) fieldsOf.set(f.category_id, [...(fieldsOf.get(f.category_id) ?? []), f.field_name]);
    return new AssetCatalog(
      version,
      categories.map((c) => ({ ...c, fields: fieldsOf.get(c.id) ?? [] })),
      sets.map((s) => ({ ...s, statuses: JSON.parse(s.statuses) as Status[] })),
      sites,
    );
}

/**
 * After a change to status sets or categories, in its transaction: an asset
 * of one of `categoryIds` whose status its category's set no longer has, if any.
 */
export async function strandedStatus(trx: Kysely<DB>, tenantId: number, pick: (catalog: AssetCatalog) => string[]): Promise<{ category: string; status: string } | undefined> {
  const catalog = await readCatalog(trx, tenantId);
  const categoryIds = pick(catalog);
  if (categoryIds.length === 0) return undefined;
  const used = await trx
    .selectFrom("assets")
    .select(["category_id", "status_id"])
    .distinct()
    .where("tenant_id", "=", tenantId)
    .where("category_id", "in", categoryIds)
    .where("status_id", "is not", null)
    .execute();
  for (const { category_id, status_id } of used) {
    const set = catalog.statusesOf(category_id!);
    if (!set?.statuses.some((s) => s.id === status_id)) return { category: category_id!, status: status_id! };
  }
  return undefined;
}

/** Reads catalogs, keeping each tenant's latest: it is read again only after a change. */
export function createCatalogReader(db: Kysely<DB>) {
  const cached = new Map<number, AssetCatalog>();

  return {
    /** The tenant's catalog as `executor` sees it (a transaction holding the tenant's lock, or the database). */
    async read(tenantId: number, executor: Kysely<DB> = db): Promise<AssetCatalog> {
      const version = await catalogVersion(executor, tenantId);
      const hit = cached.get(tenantId);
      if (hit?.version === version) return hit;
      const catalog = await readCatalog(executor, tenantId, version);
      if (version >= (cached.get(tenantId)?.version ?? -1)) cached.set(tenantId, catalog);
      return catalog;
    },
  };
}

export type CatalogReader = ReturnType<typeof createCatalogReader>;
