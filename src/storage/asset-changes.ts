import type { Kysely, Selectable } from "kysely";
import type { AssetChangesTable, DB } from "./schema.js";

export type AssetChangeRow = Selectable<AssetChangesTable>;

export function createAssetChangesRepository(db: Kysely<DB>) {
  const ofTenant = (tenantId: number) => db.selectFrom("asset_changes").selectAll().where("tenant_id", "=", tenantId);
  return {
    /** One asset's changes, oldest first. */
    async forAsset(tenantId: number, assetId: string, offset: number, limit: number): Promise<{ rows: AssetChangeRow[]; total: number }> {
      const base = ofTenant(tenantId).where("asset_id", "=", assetId);
      const [rows, count] = await Promise.all([
        base.orderBy("id").limit(limit).offset(offset).execute(),
        base.clearSelect().select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },

    /** The tenant's changes after change `after`, in the order they were made. */
    feed(tenantId: number, after: number, limit: number): Promise<AssetChangeRow[]> {
      return ofTenant(tenantId).where("id", ">", after).orderBy("id").limit(limit).execute();
    },
  };
}
