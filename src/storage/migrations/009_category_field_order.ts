import type { Kysely } from "kysely";

// A category keeps its fields in the order it was given them. Rows from
// before have position 0 and keep coming back by name, as they did.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("category_fields").addColumn("position", "integer", (c) => c.notNull().defaultTo(0)).execute();
}
