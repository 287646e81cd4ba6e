import type { Kysely } from "kysely";

// What the console shows of an import: how many entries created, updated
// and left assets unchanged (NULL for imports from before, which were not
// counted), and for each report row the entry's place in its file, the key
// (column) it is about and that key's value as sent.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ["created_count", "updated_count", "unchanged_count"]) {
    await db.schema.alterTable("imports").addColumn(column, "integer").execute();
  }
  await db.schema.alterTable("import_report").addColumn("location", "integer").execute();
  await db.schema.alterTable("import_report").addColumn("entry_key", "text").execute();
  await db.schema.alterTable("import_report").addColumn("value", "text").execute();
}
