import { sql, type ColumnDefinitionBuilder, type Kysely } from "kysely";
import type { Dialect } from "../database.js";

// Access control: system administrators, API keys and the audit log.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const identity = (c: ColumnDefinitionBuilder) =>
    dialect === "postgres" ? c.generatedAlwaysAsIdentity().primaryKey() : c.primaryKey().autoIncrement();

  // A system administrator creates tenants. The admin made on first start is
  // one; on a database that predates this column, the earliest admin of the
  // first tenant becomes one, which is who that was.
  await db.schema.alterTable("users").addColumn("system_admin", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await sql`
    update users set system_admin = 1 where id = (
      select min(u.id) from users u where u.role = 'admin' and u.tenant_id = (select min(id) from tenants)
    )`.execute(db);

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "integer", identity)
    .addColumn("tenant_id", "integer", (c) => c.notNull().references("tenants.id"))
    // The user who created the key: it acts as them, never above their role.
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    // Only the SHA-256 of the secret is stored; the prefix lets people tell keys apart.
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint")
    .addColumn("last_used_at", "bigint")
    .execute();
  await db.schema.createIndex("api_keys_tenant").on("api_keys").columns(["tenant_id", "id"]).execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", "integer", identity)
    // Null for a failed login under a username no tenant has.
    .addColumn("tenant_id", "integer")
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    // Who did it (a username, or null when nobody could be identified) and to whom or what.
    .addColumn("actor", "text")
    .addColumn("target", "text")
    .addColumn("ip", "text")
    .addColumn("details", "text")
    .execute();
  await db.schema.createIndex("audit_events_tenant").on("audit_events").columns(["tenant_id", "id"]).execute();
}
