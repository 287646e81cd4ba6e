import { sql, type Kysely, type Selectable } from "kysely";
import type { Filter } from "../assets/list-query.js";
import { filterSql } from "./asset-list.js";
import type { Database, Dialect } from "./database.js";
import type { AssetChangesTable, DB } from "./schema.js";

// Every asset change, by an import or through the API, is one row of
// asset_changes, numbered by the tenant's feed position (tenants.change_seq).
// A writer locks its tenant's row first (lockTenantChanges) and holds it to
// its commit: writers of one tenant take turns, positions are handed out and
// become visible in order, and the feed can be read from any position without
// missing or repeating a change.
//
// A row holds the asset as the change left it, copied in SQL from the row
// just written; what changed is worked out when history is read, against the
// version before (assets/changes.ts). Recording thus costs a writer one
// INSERT ... SELECT and no work in JavaScript.

export type AssetChangeRow = Selectable<AssetChangesTable>;

export type ChangeAction = "created" | "updated" | "deleted" | "restored";

/** A change just written: [asset ID, import entry number or null, action]. */
export type WrittenChange = [string, number | null, ChangeAction];

/** Locks the tenant's feed counter until the commit; returns the last position handed out. */
export async function lockTenantChanges(trx: Kysely<DB>, tenantId: number): Promise<number> {
  // An UPDATE, not a SELECT ... FOR UPDATE: on SQLite it takes the write lock
  // at once, so the transaction cannot fail later on a snapshot gone stale.
  const row = await sql<{ change_seq: number | string }>`
    update tenants set change_seq = change_seq where id = ${tenantId} returning change_seq
  `.execute(trx);
  return Number(row.rows[0]!.change_seq);
}

/**
 * Records the changes of the assets just written (in `changes` order, after
 * feed position `lastSeq`), copying each asset's new state, and moves the counter.
 */
export async function recordChanges(
  trx: Kysely<DB>,
  dialect: Dialect,
  record: { tenantId: number; lastSeq: number; now: number; actor: string; importId: number | null; changes: WrittenChange[] },
): Promise<void> {
  const { tenantId, lastSeq, now, actor, importId, changes } = record;
  const json = JSON.stringify(changes);
  const source = dialect === "postgres" ? sql`jsonb_array_elements(${json}::jsonb) with ordinality as c(value, n)` : sql`json_each(${json}) as c`;
  const position = dialect === "postgres" ? sql`c.n` : sql`c.key + 1`;
  // CROSS JOIN: SQLite then reads the changes first and looks each asset up
  // by its key, instead of scanning every asset once per change.
  await sql`
    insert into asset_changes (tenant_id, seq, asset_id, version, changed_at, actor, import_id, entry_num, action, name, data, is_active, deleted_at,
                               description, tags, category_id, status_id, site_id)
    select a.tenant_id, cast(${lastSeq} as bigint) + ${position}, a.id, a.version, cast(${now} as bigint), cast(${actor} as text),
           cast(${importId} as integer), cast(c.value ->> 1 as integer), c.value ->> 2, a.name, a.data, a.is_active, a.deleted_at,
           a.description, a.tags, a.category_id, a.status_id, a.site_id
    from ${source} cross join assets a
    where a.tenant_id = ${tenantId} and a.id = c.value ->> 0
  `.execute(trx);
  await sql`update tenants set change_seq = ${lastSeq + changes.length} where id = ${tenantId}`.execute(trx);
}

export function createAssetChangesRepository({ db, dialect }: Database) {
  /** The rows of the versions just before `rows` (for what each changed), by asset ID and version. */
  async function previousOf(tenantId: number, rows: AssetChangeRow[]): Promise<Map<string, AssetChangeRow>> {
    const wanted = rows.filter((r) => r.version > 1).map((r) => [r.asset_id, r.version - 1] as const);
    const found = new Map<string, AssetChangeRow>();
    if (wanted.length === 0) return found;
    const json = JSON.stringify(wanted);
    const list =
      dialect === "postgres"
        ? sql`select w.value ->> 0, cast(w.value ->> 1 as integer) from jsonb_array_elements(${json}::jsonb) as w(value)`
        : sql`select w.value ->> 0, w.value ->> 1 from json_each(${json}) as w`;
    // The positions first, from the (asset, version) index alone, then the rows by their key: asked for
    // the rows at once, SQLite reads every change of the tenant rather than the index and then the table.
    const result = await sql<AssetChangeRow>`
      select * from asset_changes where tenant_id = ${tenantId} and seq in (
        select p.seq from asset_changes p where p.tenant_id = ${tenantId} and (p.asset_id, p.version) in (${list}))
    `.execute(db);
    for (const row of result.rows) found.set(`${row.asset_id}\u0000${row.version}`, row);
    return found;
  }

  const withPrevious = async (tenantId: number, rows: AssetChangeRow[]) => {
    const previous = await previousOf(tenantId, rows);
    return rows.map((row) => ({ row, previous: previous.get(`${row.asset_id}\u0000${row.version - 1}`) }));
  };

  return {
    /** An asset's changes, newest first, each with the version before it. */
    async forAsset(tenantId: number, assetId: string, offset: number, limit: number) {
      const base = db.selectFrom("asset_changes").where("tenant_id", "=", tenantId).where("asset_id", "=", assetId);
      const [rows, count] = await Promise.all([
        base.selectAll().orderBy("version", "desc").limit(limit).offset(offset).execute(),
        base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { changes: await withPrevious(tenantId, rows), total: Number(count.n) };
    },

    /** The tenant's changes after feed position `since`, oldest first (or the newest first), each with the version before it. */
    async feed(tenantId: number, since: number, limit: number, filters: readonly Filter[] = [], newestFirst = false) {
      let query = db.selectFrom("asset_changes").selectAll().where("tenant_id", "=", tenantId).where("seq", ">", since);
      for (const filter of filters) query = query.where(filterSql(dialect, filter));
      const rows = await query.orderBy("seq", newestFirst ? "desc" : "asc").limit(limit).execute();
      return withPrevious(tenantId, rows);
    },
  };
}
