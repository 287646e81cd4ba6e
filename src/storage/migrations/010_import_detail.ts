import { sql, type Kysely } from "kysely";

// What the console shows of an import: how many entries created, updated
// and left assets unchanged (NULL for imports from before, which were not
// counted), the file it came from, whether it was a dry run (a column, to
// list imports without the checks), and for each report row the entry's
// place in its file, the key (column) it is about and that key's value as sent.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("imports").addColumn("source_name", "text").execute();
  await db.schema.alterTable("imports").addColumn("dry_run", "integer", (c) => c.notNull().defaultTo(0)).execute();
  // Options are stored as JSON.stringify writes them.
  await sql`update imports set dry_run = 1 where options like ${'%"dry_run":true%'}`.execute(db);
  for (const column of ["created_count", "updated_count", "unchanged_count"]) {
    await db.schema.alterTable("imports").addColumn(column, "integer").execute();
  }
  await db.schema.alterTable("import_report").addColumn("location", "integer").execute();
  await db.schema.alterTable("import_report").addColumn("entry_key", "text").execute();
  await db.schema.alterTable("import_report").addColumn("value", "text").execute();
}
