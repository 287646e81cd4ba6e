import { sql, type Kysely } from "kysely";
import { splitAttributes } from "../assets/attributes.js";
import type { AssetCatalog } from "../assets/catalog.js";
import { lockTenantChanges, recordChanges, type ChangeAction, type WrittenChange } from "./asset-changes.js";
import type { AssetRow } from "./assets.js";
import type { CatalogReader } from "./catalog.js";
import type { Database, Dialect } from "./database.js";
import { uidMaker } from "./uids.js";
import type { DB } from "./schema.js";

// Assets written through the assets API: read, decided on and written in
// one transaction that holds the tenant's writer lock, with their history
// rows, by the same set-based upsert the import uses (upsertStates). The
// decision is made on the catalog as of the lock, which no catalog change
// can overtake before the commit (storage/catalog.ts).

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
      const { id } = context;
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
        if (decisions.size === 0) return current;
        const written = [...decisions.keys()];
        await upsertStates(trx, dialect, { tenantId, now, actor }, [...decisions].map(([id, d]) => ({ id, name: d.name, data: d.data, deletedAt: d.deletedAt })));
        await recordChanges(trx, dialect, { tenantId, lastSeq, now, actor, importId: null, changes: [...decisions].map(([id, d]): WrittenChange => [id, null, d.action]) });
        return new Map([...current, ...(await readMany(trx, tenantId, written))]);
      });
    },
  };
}

/** An asset's next state, as the import and the API write it. */
export interface AssetState {
  id: string;
  name: string;
  /** Custom values and attributes (assets/attributes.ts). */
  data: Record<string, unknown>;
  /** null: active. */
  deletedAt: number | null;
}

/**
 * The one way assets are written: a set-based upsert of their next states,
 * passed as a single JSON parameter of rows (a new asset gets version 1 and
 * a uid, an existing one its version raised by one). Assets with none of
 * the model's attributes (most, where a tenant does not use them) go
 * through a statement that sets those columns to NULL without reading them
 * from the parameter: five JSON reads a row fewer on the import's hot path.
 */
export async function upsertStates(trx: Kysely<DB>, dialect: Dialect, context: { tenantId: number; now: number; actor: string }, states: readonly AssetState[]): Promise<void> {
  const uid = uidMaker(context.now, states.length);
  const plain: unknown[] = [];
  const attributed: unknown[] = [];
  states.forEach((state, i) => {
    const { custom, attributes } = splitAttributes(state.data);
    const row = [state.id, uid(i), state.name, custom, state.deletedAt];
    if (custom === state.data) plain.push(row);
    else attributed.push([...row, ...attributes]);
  });
  if (plain.length > 0) await upsertRows(trx, dialect, context, JSON.stringify(plain), false);
  if (attributed.length > 0) await upsertRows(trx, dialect, context, JSON.stringify(attributed), true);
}

async function upsertRows(trx: Kysely<DB>, dialect: Dialect, { tenantId, now, actor }: { tenantId: number; now: number; actor: string }, rows: string, withAttributes: boolean): Promise<void> {
  const source = dialect === "postgres" ? sql`jsonb_array_elements(${rows}::jsonb) as s(value)` : sql`json_each(${rows}) as s`;
  // A JSON null at [6] gives SQL NULL with ->>, but a JSON text with ->.
  const tags = dialect === "postgres" ? sql`nullif(s.value -> 6, 'null'::jsonb)` : sql`case when s.value ->> 6 is null then null else s.value -> 6 end`;
  const attributes = withAttributes ? sql`s.value ->> 5, ${tags}, s.value ->> 7, s.value ->> 8, s.value ->> 9` : sql`null, null, null, null, null`;
  await sql`
    insert into assets (tenant_id, id, uid, name, data, description, tags, category_id, status_id, site_id, version, created_at, created_by, updated_at, updated_by, is_active, deleted_at)
    select cast(${tenantId} as integer), s.value ->> 0, s.value ->> 1, s.value ->> 2, s.value -> 3, ${attributes},
           1, cast(${now} as bigint), cast(${actor} as text), cast(${now} as bigint), cast(${actor} as text),
           case when s.value ->> 4 is null then 1 else 0 end, cast(s.value ->> 4 as bigint)
    from ${source}
    where true
    on conflict (tenant_id, id) do update set
      name = excluded.name,
      data = excluded.data,
      description = excluded.description,
      tags = excluded.tags,
      category_id = excluded.category_id,
      status_id = excluded.status_id,
      site_id = excluded.site_id,
      version = assets.version + 1,
      updated_at = excluded.updated_at,
      updated_by = excluded.updated_by,
      is_active = excluded.is_active,
      deleted_at = excluded.deleted_at
  `.execute(trx);
}
