import { sql, type Kysely } from "kysely";
import type { Dialect } from "../database.js";

// Imports beyond the JSON array: file formats, options, cancel, idempotent
// retries, per-entry actions, and the entries kept for a failed-entry download.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const imports = () => db.schema.alterTable("imports");
  await imports().addColumn("format", "text", (c) => c.notNull().defaultTo("json")).execute();
  // JSON: dry_run, all_or_none, unknown_fields, null_values, empty_values.
  await imports().addColumn("options", "text", (c) => c.notNull().defaultTo("{}")).execute();
  // 'validate' (a dry run, or all_or_none's first pass) or 'apply'.
  await imports().addColumn("pass", "text", (c) => c.notNull().defaultTo("apply")).execute();
  // All-or-none found failures: no entry was imported.
  await imports().addColumn("discarded", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await imports().addColumn("cancel_requested", "integer", (c) => c.notNull().defaultTo(0)).execute();
  // The queue order: set when the import is accepted, which for a streamed
  // file is after its id was taken (RECEIVING), so ids alone do not order.
  await imports().addColumn("queue_seq", "bigint").execute();
  await sql`update imports set queue_seq = id`.execute(db);
  await db.schema.createIndex("imports_queue").on("imports").columns(["tenant_id", "queue_seq", "id"]).execute();

  // Where each entry came from in its file (line or row), and the entries a
  // parser could not read, by index within the payload.
  await db.schema.alterTable("import_payloads").addColumn("locations", "text").execute();
  await db.schema.alterTable("import_payloads").addColumn("problems", "text").execute();

  // What each processed entry did: one letter per entry of a batch
  // (c created, u updated, n unchanged, f failed). A string per batch instead
  // of a row per entry keeps the hot path cheap.
  await db.schema
    .createTable("import_actions")
    .addColumn("import_id", "integer", (c) => c.notNull())
    .addColumn("first_entry_num", "integer", (c) => c.notNull())
    .addColumn("actions", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("import_actions_pk", ["import_id", "first_entry_num"])
    .execute();

  await db.schema
    .createTable("import_idempotency_keys")
    .addColumn("tenant_id", "integer", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("import_id", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("import_idempotency_keys_pk", ["tenant_id", "key"])
    .$call((t) => (dialect === "sqlite" ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
}
