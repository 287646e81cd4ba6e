import type { Selectable } from "kysely";
import type { Database } from "./database.js";
import { createAssetLister } from "./asset-list.js";
import type { AssetsTable } from "./schema.js";

export type AssetRow = Selectable<AssetsTable>;

export function createAssetsRepository(database: Database) {
  const { db } = database;
  return {
    ...createAssetLister(database),

    get(tenantId: number, id: string): Promise<AssetRow | undefined> {
      return db.selectFrom("assets").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
    },
  };
}
