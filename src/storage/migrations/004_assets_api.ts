import { sql, type Kysely } from "kysely";
import type { Dialect } from "../database.js";

// The assets API: indexed custom fields, and every asset's change history,
// which is also the tenant's change feed.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // An indexed field has an expression index on its value (storage/field-indexes.ts).
  await db.schema.alterTable("asset_fields").addColumn("indexed", "integer", (c) => c.notNull().defaultTo(0)).execute();

  // The last change-feed position handed out in the tenant. A writer raises it
  // in its own transaction, which locks the tenant's row until the commit, so
  // positions become visible in order and a feed reader never skips one.
  await db.schema.alterTable("tenants").addColumn("change_seq", "bigint", (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable("asset_changes")
    .addColumn("tenant_id", "integer", (c) => c.notNull())
    // The tenant's feed position: 1, 2, 3... without gaps.
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("asset_id", dialect === "postgres" ? sql`text collate "C"` : "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("changed_at", "bigint", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    // Set for a change an import made; null for one made through the assets API.
    .addColumn("import_id", "integer")
    .addColumn("entry_num", "integer")
    // 'created', 'updated', 'deleted' or 'restored'.
    .addColumn("action", "text", (c) => c.notNull())
    // The asset as the change left it. Writers copy it from the row they
    // have just written, in SQL, so recording history builds nothing in
    // JavaScript; readers compare it with the version before to show what
    // changed (storage/asset-changes.ts).
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("data", dialect === "postgres" ? sql`jsonb` : "text", (c) => c.notNull())
    .addColumn("is_active", "integer", (c) => c.notNull())
    .addColumn("deleted_at", "bigint")
    .addPrimaryKeyConstraint("asset_changes_pk", ["tenant_id", "seq"])
    .$call((t) => (dialect === "sqlite" ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  await db.schema.createIndex("asset_changes_asset").on("asset_changes").columns(["tenant_id", "asset_id", "version"]).execute();
}
