import type { Kysely, Selectable } from "kysely";
import { catalogChanged, lockCatalog } from "./catalog.js";
import type { DB, SitesTable } from "./schema.js";

export type SiteRow = Omit<Selectable<SitesTable>, "tenant_id">;
export type SiteSettings = { name: string; description: string };

const columns = ["id", "name", "description", "created_at", "updated_at"] as const;

export function createSitesRepository(db: Kysely<DB>) {
  return {
    async list(tenantId: number, offset: number, limit: number): Promise<{ rows: SiteRow[]; total: number }> {
      const query = db.selectFrom("sites").where("tenant_id", "=", tenantId);
      const [rows, count] = await Promise.all([
        query.select(columns).orderBy("id").offset(offset).limit(limit).execute(),
        query.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },

    get(tenantId: number, id: string): Promise<SiteRow | undefined> {
      return db.selectFrom("sites").select(columns).where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
    },

    /** The new site, or undefined when the ID is taken. */
    create(tenantId: number, id: string, settings: SiteSettings, now: number): Promise<SiteRow | undefined> {
      return db.transaction().execute(async (trx) => {
        await lockCatalog(trx, tenantId);
        const created = await trx
          .insertInto("sites")
          .values({ tenant_id: tenantId, id, ...settings, created_at: now, updated_at: now })
          .onConflict((oc) => oc.columns(["tenant_id", "id"]).doNothing())
          .returning(columns)
          .executeTakeFirst();
        if (created) await catalogChanged(trx, tenantId);
        return created;
      });
    },

    update(tenantId: number, id: string, settings: Partial<SiteSettings>, now: number): Promise<SiteRow | undefined> {
      return db.transaction().execute(async (trx) => {
        await lockCatalog(trx, tenantId);
        const updated = await trx.updateTable("sites").set({ ...settings, updated_at: now }).where("tenant_id", "=", tenantId).where("id", "=", id).returning(columns).executeTakeFirst();
        if (updated) await catalogChanged(trx, tenantId);
        return updated;
      });
    },

    /** "deleted", "missing", or "in-use" when an asset (deleted ones too) is at the site. */
    async delete(tenantId: number, id: string): Promise<"deleted" | "missing" | "in-use"> {
      return db.transaction().execute(async (trx) => {
        await lockCatalog(trx, tenantId);
        const used = await trx.selectFrom("assets").select("id").where("tenant_id", "=", tenantId).where("site_id", "=", id).limit(1).executeTakeFirst();
        if (used) return "in-use";
        const result = await trx.deleteFrom("sites").where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return "missing";
        await catalogChanged(trx, tenantId);
        return "deleted";
      });
    },
  };
}
