import { sql, type Selectable, type SqlBool } from "kysely";
import type { Database } from "./database.js";
import { createAssetLister } from "./asset-list.js";
import type { AssetsTable } from "./schema.js";

export type AssetRow = Selectable<AssetsTable>;

export function createAssetsRepository(database: Database) {
  const { db } = database;
  return {
    ...createAssetLister(database),

    /** The ID of the series `prefix` + digits with the highest number, deleted assets included. */
    async highestInSeries(tenantId: number, prefix: string): Promise<string | undefined> {
      const start = prefix.length + 1;
      const digitsOnly =
        database.dialect === "postgres" ? sql<SqlBool>`substr(id, ${start}) ~ '^[0-9]+$'` : sql<SqlBool>`substr(id, ${start}) not glob '*[^0-9]*'`;
      const row = await db
        .selectFrom("assets")
        .select("id")
        .where("tenant_id", "=", tenantId)
        // Digits sort between '0' and ':' in byte order: the ID index narrows to the series.
        .where("id", ">=", `${prefix}0`)
        .where("id", "<", `${prefix}:`)
        .where(digitsOnly)
        // By number: without leading zeros, a longer number is larger, and equal lengths compare as text.
        .orderBy(sql`length(ltrim(substr(id, ${start}), '0'))`, "desc")
        .orderBy(sql`ltrim(substr(id, ${start}), '0')`, "desc")
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst();
      return row?.id;
    },

    getMany(tenantId: number, ids: readonly string[]): Promise<AssetRow[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return db.selectFrom("assets").selectAll().where("tenant_id", "=", tenantId).where("id", "in", ids).execute();
    },

    get(tenantId: number, id: string): Promise<AssetRow | undefined> {
      return db.selectFrom("assets").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
    },
  };
}
