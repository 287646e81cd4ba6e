import { sql, type Kysely, type Selectable } from "kysely";
import type { FieldChanges } from "../import/plan-writes.js";
import type { Database, Dialect } from "./database.js";
import type { AssetChangesTable, DB } from "./schema.js";

// Every asset change, by an import or through the API, is one row of
// asset_changes, numbered by the tenant's feed position (tenants.change_seq).
// A writer locks its tenant's row first (lockTenantChanges) and holds it to
// its commit: writers of one tenant take turns, positions are handed out and
// become visible in order, and the feed can be read from any position without
// missing or repeating a change.

export type AssetChangeRow = Selectable<AssetChangesTable>;

export type ChangeAction = "created" | "updated" | "deleted" | "restored";

/**
 * One written asset, as the import's upsert takes it and history records it:
 * [id, uid, name, data, version, entry_num, action, changes]. For 'created',
 * `changes` is null and history copies the name and data instead, so an
 * import builds no diff for the assets it creates.
 */
export type WrittenAsset = [string, string, string, Record<string, unknown>, number, number | null, ChangeAction, FieldChanges | null];

/** Locks the tenant's feed counter until the commit; returns the last position handed out. */
export async function lockTenantChanges(trx: Kysely<DB>, tenantId: number): Promise<number> {
  // An UPDATE, not a SELECT ... FOR UPDATE: on SQLite it takes the write lock
  // at once, so the transaction cannot fail later on a snapshot gone stale.
  const row = await sql<{ change_seq: number | string }>`
    update tenants set change_seq = change_seq where id = ${tenantId} returning change_seq
  `.execute(trx);
  return Number(row.rows[0]!.change_seq);
}

/** Records the changes of `written` (a JSON array of WrittenAsset) after position `lastSeq`, and moves the counter. */
export async function recordChanges(
  trx: Kysely<DB>,
  dialect: Dialect,
  change: { tenantId: number; lastSeq: number; count: number; now: number; actor: string; importId: number | null; written: string },
): Promise<void> {
  const { tenantId, lastSeq, now, actor, importId, written } = change;
  const source =
    dialect === "postgres"
      ? sql`jsonb_array_elements(${written}::jsonb) with ordinality as s(value, n)`
      : sql`json_each(${written}) as s`;
  const position = dialect === "postgres" ? sql`s.n` : sql`s.key + 1`;
  const created =
    dialect === "postgres" ? sql`((s.value -> 3) || jsonb_build_object('name', s.value -> 2))::text` : sql`json_set(s.value -> 3, '$.name', s.value ->> 2)`;
  const changes = dialect === "postgres" ? sql`(s.value -> 7)::text` : sql`s.value -> 7`;
  await sql`
    insert into asset_changes (tenant_id, seq, asset_id, version, changed_at, actor, import_id, entry_num, action, changes)
    select cast(${tenantId} as integer), cast(${lastSeq} as bigint) + ${position}, s.value ->> 0, cast(s.value ->> 4 as integer),
           cast(${now} as bigint), cast(${actor} as text), cast(${importId} as integer), cast(s.value ->> 5 as integer), s.value ->> 6,
           case when s.value ->> 6 = 'created' then ${created} else ${changes} end
    from ${source}
  `.execute(trx);
  await sql`update tenants set change_seq = ${lastSeq + change.count} where id = ${tenantId}`.execute(trx);
}

export function createAssetChangesRepository({ db }: Database) {
  return {
    /** An asset's changes, newest first. */
    async forAsset(tenantId: number, assetId: string, offset: number, limit: number): Promise<{ rows: AssetChangeRow[]; total: number }> {
      const base = db.selectFrom("asset_changes").where("tenant_id", "=", tenantId).where("asset_id", "=", assetId);
      const [rows, count] = await Promise.all([
        base.selectAll().orderBy("version", "desc").limit(limit).offset(offset).execute(),
        base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },

    /** The tenant's changes after feed position `since`, oldest first. */
    feed(tenantId: number, since: number, limit: number): Promise<AssetChangeRow[]> {
      return db.selectFrom("asset_changes").selectAll().where("tenant_id", "=", tenantId).where("seq", ">", since).orderBy("seq").limit(limit).execute();
    },
  };
}
