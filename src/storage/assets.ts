import type { Kysely, Selectable } from "kysely";
import type { AssetsTable, DB } from "./schema.js";

export type AssetRow = Selectable<AssetsTable>;

export function createAssetsRepository(db: Kysely<DB>) {
  return {
    /** Active assets in ID order (byte order on every backend), a page at a time. */
    async list(tenantId: number, offset: number, limit: number): Promise<{ rows: AssetRow[]; total: number }> {
      const base = db.selectFrom("assets").where("tenant_id", "=", tenantId).where("is_active", "=", 1);
      const [rows, count] = await Promise.all([
        base.selectAll().orderBy("id").limit(limit).offset(offset).execute(),
        base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },

    get(tenantId: number, id: string): Promise<AssetRow | undefined> {
      return db.selectFrom("assets").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
    },
  };
}
