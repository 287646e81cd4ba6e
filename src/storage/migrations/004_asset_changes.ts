import { sql, type Kysely } from "kysely";
import type { Dialect } from "../database.js";

// Every change of an asset, in the order changes were made: the asset's
// history, and (by id) the tenant's change feed.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("asset_changes")
    .addColumn("id", "integer", (c) => (dialect === "postgres" ? c.generatedAlwaysAsIdentity().primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("tenant_id", "integer", (c) => c.notNull())
    .addColumn("asset_id", dialect === "postgres" ? sql`text collate "C"` : "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("changed_at", "bigint", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    // 'import' or 'api'.
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("import_id", "integer")
    .addColumn("entry_num", "integer")
    // 'created', 'updated', 'deleted' or 'restored'.
    .addColumn("action", "text", (c) => c.notNull())
    // JSON: {"<field>": [old, new], ...}, null for a value that was not set.
    .addColumn("changes", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("asset_changes_asset").on("asset_changes").columns(["tenant_id", "asset_id", "id"]).execute();
  await db.schema.createIndex("asset_changes_feed").on("asset_changes").columns(["tenant_id", "id"]).execute();
}
