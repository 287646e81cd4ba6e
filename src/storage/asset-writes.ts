import { sql, type Kysely } from "kysely";
import { lockTenantChanges, recordChanges, type ChangeAction } from "./asset-changes.js";
import type { AssetRow } from "./assets.js";
import type { Database } from "./database.js";
import { uidMaker } from "./uids.js";
import type { DB } from "./schema.js";

// One asset written through the assets API: read, decided on and written in
// one transaction that holds the tenant's writer lock, with its history row.

/** What the caller decided: the asset's next state and how history names the change. */
export interface AssetDecision {
  name: string;
  data: Record<string, unknown>;
  deletedAt: number | null;
  action: ChangeAction;
}

export interface WriteContext {
  tenantId: number;
  id: string;
  actor: string;
  now: number;
}

export function createAssetWriter({ db, dialect }: Database) {
  return {
    /**
     * Runs `decide` on the asset as stored (undefined when there is none).
     * It returns the next state, undefined to change nothing, or throws to
     * refuse (the transaction then writes nothing). Returns the asset after.
     */
    async write(context: WriteContext, decide: (current: AssetRow | undefined) => AssetDecision | undefined): Promise<AssetRow | undefined> {
      const { tenantId, id, actor, now } = context;
      return db.transaction().execute(async (trx) => {
        const lastSeq = await lockTenantChanges(trx, tenantId);
        const current = await trx.selectFrom("assets").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
        const decision = decide(current);
        if (!decision) return current;
        const next = await save(trx, context, current, decision);
        await recordChanges(trx, dialect, { tenantId, lastSeq, now, actor, importId: null, changes: [[id, null, decision.action]] });
        return next;
      });
    },
  };
}

async function save(trx: Kysely<DB>, { tenantId, id, actor, now }: WriteContext, current: AssetRow | undefined, decision: AssetDecision): Promise<AssetRow> {
  const state = {
    name: decision.name,
    data: JSON.stringify(decision.data),
    is_active: decision.deletedAt === null ? 1 : 0,
    deleted_at: decision.deletedAt,
    updated_at: now,
    updated_by: actor,
  };
  if (!current) {
    return trx
      .insertInto("assets")
      .values({ tenant_id: tenantId, id, uid: uidMaker(now, 1)(0), version: 1, created_at: now, created_by: actor, site_id: null, ...state })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  return trx
    .updateTable("assets")
    .set({ ...state, version: sql<number>`version + 1` })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
