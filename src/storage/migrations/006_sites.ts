import { sql, type Kysely } from "kysely";
import type { Dialect } from "../database.js";

// Sites: the places assets are at (thingsHub's and HaloPSA's sites).
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("sites")
    .addColumn("tenant_id", "integer", (c) => c.notNull().references("tenants.id"))
    .addColumn("id", dialect === "postgres" ? sql`text collate "C"` : "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("sites_pk", ["tenant_id", "id"])
    .execute();
  // Finds the assets at a site (a site in use cannot be deleted). Partial:
  // assets without a site, most of an import's, cost it nothing.
  await sql`create index assets_site on assets (tenant_id, site_id) where site_id is not null`.execute(db);
}
