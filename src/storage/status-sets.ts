import type { Kysely, Selectable } from "kysely";
import { catalogChanged, lockCatalog, strandedStatus } from "./catalog.js";
import type { DB, StatusSetsTable } from "./schema.js";

export interface Status {
  id: string;
  name: string;
}

export type StatusSetRow = Omit<Selectable<StatusSetsTable>, "tenant_id" | "statuses"> & { statuses: Status[] };

const columns = ["id", "name", "statuses", "created_at", "updated_at"] as const;
const toRow = (row: Omit<Selectable<StatusSetsTable>, "tenant_id">): StatusSetRow => ({ ...row, statuses: JSON.parse(row.statuses) as Status[] });

export function createStatusSetsRepository(db: Kysely<DB>) {
  return {
    async list(tenantId: number, offset: number, limit: number): Promise<{ rows: StatusSetRow[]; total: number }> {
      const query = db.selectFrom("status_sets").where("tenant_id", "=", tenantId);
      const [rows, count] = await Promise.all([
        query.select(columns).orderBy("id").offset(offset).limit(limit).execute(),
        query.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { rows: rows.map(toRow), total: Number(count.n) };
    },

    async get(tenantId: number, id: string): Promise<StatusSetRow | undefined> {
      const row = await db.selectFrom("status_sets").select(columns).where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
      return row && toRow(row);
    },

    /** The new set, or undefined when the ID is taken. */
    async create(tenantId: number, id: string, set: { name: string; statuses: Status[] }, now: number): Promise<StatusSetRow | undefined> {
      return db.transaction().execute(async (trx) => {
        await lockCatalog(trx, tenantId);
        const row = await trx
          .insertInto("status_sets")
          .values({ tenant_id: tenantId, id, name: set.name, statuses: JSON.stringify(set.statuses), created_at: now, updated_at: now })
          .onConflict((oc) => oc.columns(["tenant_id", "id"]).doNothing())
          .returning(columns)
          .executeTakeFirst();
        if (!row) return undefined;
        await catalogChanged(trx, tenantId);
        return toRow(row);
      });
    },

    /**
     * The changed set, undefined when there is none, or the status it would
     * take from assets that have it (nothing is changed then).
     */
    async update(tenantId: number, id: string, set: { name?: string; statuses?: Status[] }, now: number): Promise<StatusSetRow | { inUse: string } | undefined> {
      const inUse = new Error("in use");
      let status: string | undefined;
      return db.transaction().execute(async (trx) => {
        await lockCatalog(trx, tenantId);
        const row = await trx
          .updateTable("status_sets")
          .set({ ...(set.name !== undefined ? { name: set.name } : {}), ...(set.statuses ? { statuses: JSON.stringify(set.statuses) } : {}), updated_at: now })
          .where("tenant_id", "=", tenantId)
          .where("id", "=", id)
          .returning(columns)
          .executeTakeFirst();
        if (!row) return undefined;
        if (set.statuses) {
          const stranded = await strandedStatus(trx, tenantId, (catalog) => catalog.categories.filter((c) => catalog.statusesOf(c.id)?.setId === id).map((c) => c.id));
          // Throwing rolls the change back.
          status = stranded?.status;
          if (stranded) throw inUse;
        }
        await catalogChanged(trx, tenantId);
        return toRow(row);
      }).catch((err: unknown) => {
        if (err === inUse && status !== undefined) return { inUse: status };
        throw err;
      });
    },

    /** "deleted", "missing", or "in-use" while a category names the set. */
    async delete(tenantId: number, id: string): Promise<"deleted" | "missing" | "in-use"> {
      return db.transaction().execute(async (trx) => {
        await lockCatalog(trx, tenantId);
        const used = await trx.selectFrom("categories").select("id").where("tenant_id", "=", tenantId).where("status_set_id", "=", id).limit(1).executeTakeFirst();
        if (used) return "in-use";
        const result = await trx.deleteFrom("status_sets").where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return "missing";
        await catalogChanged(trx, tenantId);
        return "deleted";
      });
    },
  };
}
