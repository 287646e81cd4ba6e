import type { Kysely } from "kysely";

// Several workers share the import queue: an import is held by a lease that
// its worker's heartbeat extends; an expired lease lets another take it over.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("imports").addColumn("lease_owner", "text").execute();
  await db.schema.alterTable("imports").addColumn("lease_expires_at", "bigint").execute();
}
