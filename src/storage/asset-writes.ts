import { sql, type Kysely } from "kysely";
import { splitAttributes } from "../assets/attributes.js";
import type { AssetCatalog } from "../assets/catalog.js";
import { lockTenantChanges, recordChanges, type ChangeAction, type WrittenChange } from "./asset-changes.js";
import type { AssetRow } from "./assets.js";
import type { CatalogReader } from "./catalog.js";
import type { Database } from "./database.js";
import { uidMaker } from "./uids.js";
import type { DB } from "./schema.js";

// Assets written through the assets API: read, decided on and written in
// one transaction that holds the tenant's writer lock, with their history
// rows. The decision is made on the catalog as of the lock, which no catalog
// change can overtake before the commit (storage/catalog.ts).

/** What the caller decided: the asset's next state and how history names the change. */
export interface AssetDecision {
  name: string;
  /** Custom values and attributes (assets/attributes.ts). */
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

/** A decision on each of several assets, by ID; an ID left out is not changed. */
export type BatchDecision = Map<string, AssetDecision>;

export function createAssetWriter({ db, dialect }: Database, catalogs: CatalogReader) {
  async function readMany(trx: Kysely<DB>, tenantId: number, ids: readonly string[]): Promise<Map<string, AssetRow>> {
    const rows = ids.length === 0 ? [] : await trx.selectFrom("assets").selectAll().where("tenant_id", "=", tenantId).where("id", "in", ids).execute();
    return new Map(rows.map((row) => [row.id, row]));
  }

  return {
    /**
     * Runs `decide` on the asset as stored (undefined when there is none).
     * It returns the next state, undefined to change nothing, or throws to
     * refuse (the transaction then writes nothing). Returns the asset after.
     */
    async write(context: WriteContext, decide: (current: AssetRow | undefined, catalog: AssetCatalog) => AssetDecision | undefined): Promise<AssetRow | undefined> {
      const { tenantId, id } = context;
      const written = await this.writeMany(context, [id], (current, catalog) => {
        const decision = decide(current.get(id), catalog);
        return new Map(decision ? [[id, decision]] : []);
      });
      return written.get(id);
    },

    /**
     * The same for several assets at once, all or nothing (the batch
     * endpoints): `decide` sees every asset named in `ids` as stored. Returns
     * every named asset as it is after (the ones not changed as they were).
     */
    async writeMany(
      context: Omit<WriteContext, "id">,
      ids: readonly string[],
      decide: (current: ReadonlyMap<string, AssetRow>, catalog: AssetCatalog) => BatchDecision,
    ): Promise<Map<string, AssetRow>> {
      const { tenantId, actor, now } = context;
      return db.transaction().execute(async (trx) => {
        const lastSeq = await lockTenantChanges(trx, tenantId);
        const current = await readMany(trx, tenantId, ids);
        const decisions = decide(current, await catalogs.read(tenantId, trx));
        const after = new Map(current);
        const changes: WrittenChange[] = [];
        for (const [id, decision] of decisions) {
          after.set(id, await save(trx, { tenantId, id, actor, now }, current.get(id), decision));
          changes.push([id, null, decision.action]);
        }
        if (changes.length > 0) await recordChanges(trx, dialect, { tenantId, lastSeq, now, actor, importId: null, changes });
        return after;
      });
    },
  };
}

async function save(trx: Kysely<DB>, { tenantId, id, actor, now }: WriteContext, current: AssetRow | undefined, decision: AssetDecision): Promise<AssetRow> {
  const { custom, columns } = splitAttributes(decision.data);
  const state = {
    name: decision.name,
    data: JSON.stringify(custom),
    ...columns,
    is_active: decision.deletedAt === null ? 1 : 0,
    deleted_at: decision.deletedAt,
    updated_at: now,
    updated_by: actor,
  };
  if (!current) {
    return trx
      .insertInto("assets")
      .values({ tenant_id: tenantId, id, uid: uidMaker(now, 1)(0), version: 1, created_at: now, created_by: actor, ...state })
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
