import { sql, type Kysely } from "kysely";
import type { Dialect } from "../database.js";

// The asset model's attributes: description, tags, category and status
// (site_id is in 001), on assets and in the states history records.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = dialect === "postgres" ? sql`text collate "C"` : sql`text`;
  const json = dialect === "postgres" ? sql`jsonb` : sql`text`;
  for (const table of ["assets", "asset_changes"]) {
    await db.schema.alterTable(table).addColumn("description", "text").execute();
    // A JSON array of strings, or null for none.
    await db.schema.alterTable(table).addColumn("tags", json).execute();
    await db.schema.alterTable(table).addColumn("category_id", id).execute();
    await db.schema.alterTable(table).addColumn("status_id", id).execute();
  }
  await db.schema.alterTable("asset_changes").addColumn("site_id", id).execute();
  // Finds a category's assets (its filter, and the in-use check before a
  // category, status or status set changes) and their statuses in the index.
  await sql`create index assets_category on assets (tenant_id, category_id, status_id) where category_id is not null`.execute(db);
  // Raised by every change to a site, category or status set, under the
  // tenant's row lock that asset writers take too: a writer that validated
  // against one version writes only if it is still current.
  await db.schema.alterTable("tenants").addColumn("catalog_version", "bigint", (c) => c.notNull().defaultTo(0)).execute();
}
