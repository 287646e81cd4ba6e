import { sql, type Kysely } from "kysely";
import type { Dialect } from "../database.js";

// Every row belongs to a tenant from the first table on. Column types stay
// within what SQLite and PostgreSQL share; `json` is the one dialect switch.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const json = dialect === "postgres" ? sql`jsonb` : sql`text`;
  const idColumn = dialect === "postgres" ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable("tenants")
    .addColumn("id", "integer", (c) => (dialect === "postgres" ? c.generatedAlwaysAsIdentity().primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "integer", (c) => (dialect === "postgres" ? c.generatedAlwaysAsIdentity().primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("tenant_id", "integer", (c) => c.notNull().references("tenants.id"))
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("full_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("email", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("last_login_at", "bigint")
    .addColumn("disabled_at", "bigint")
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "integer", (c) => c.notNull().references("tenants.id"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").columns(["user_id"]).execute();

  await db.schema
    .createTable("asset_fields")
    .addColumn("tenant_id", "integer", (c) => c.notNull().references("tenants.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("options", "text")
    .addColumn("precision", "integer")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("asset_fields_pk", ["tenant_id", "name"])
    .execute();

  await db.schema
    .createTable("assets")
    .addColumn("tenant_id", "integer", (c) => c.notNull().references("tenants.id"))
    .addColumn("id", idColumn, (c) => c.notNull())
    // A UUIDv7 (48-bit time, 74 random bits): unique by construction. No
    // index: nothing looks assets up by uid, and one cost ~0.15 s per 50,000
    // created assets on the import's hot path.
    .addColumn("uid", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("data", json, (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .addColumn("is_active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("deleted_at", "bigint")
    .addColumn("site_id", "text")
    .addPrimaryKeyConstraint("assets_pk", ["tenant_id", "id"])
    .execute();
  // Lists walk a tenant's active assets in ID order and count them from this
  // index, without reading or sorting the rows.
  await db.schema.createIndex("assets_active").on("assets").columns(["tenant_id", "is_active", "id"]).execute();

  await db.schema
    .createTable("imports")
    .addColumn("id", "integer", (c) => (dialect === "postgres" ? c.generatedAlwaysAsIdentity().primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("tenant_id", "integer", (c) => c.notNull().references("tenants.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("id_mapping_field", "text")
    .addColumn("name_mapping_field", "text")
    .addColumn("total_count", "integer", (c) => c.notNull())
    .addColumn("processed_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("success_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("failed_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("warning_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error", "text")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("started_at", "bigint")
    .addColumn("ended_at", "bigint")
    .execute();
  await db.schema.createIndex("imports_tenant").on("imports").columns(["tenant_id", "id"]).execute();
  await db.schema.createIndex("imports_status").on("imports").columns(["status", "id"]).execute();

  await db.schema
    .createTable("import_payloads")
    .addColumn("import_id", "integer", (c) => c.notNull().references("imports.id"))
    .addColumn("first_entry_num", "integer", (c) => c.notNull())
    .addColumn("entry_count", "integer", (c) => c.notNull())
    .addColumn("entries", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("import_payloads_pk", ["import_id", "first_entry_num"])
    .execute();

  await db.schema
    .createTable("import_report")
    .addColumn("import_id", "integer", (c) => c.notNull())
    .addColumn("entry_num", "integer", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("message", "text")
    .addPrimaryKeyConstraint("import_report_pk", ["import_id", "entry_num", "seq"])
    .$call((t) => (dialect === "sqlite" ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
}
