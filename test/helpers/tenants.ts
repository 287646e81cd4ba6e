import { hashPassword } from "../../src/auth/passwords.js";
import { openDatabase } from "../../src/storage/database.js";

/**
 * A second tenant with its admin, written directly: these tests only need
 * the data to exist (test/security/access.test.ts covers POST /api/v4/tenants).
 */
export async function createTenantAdmin(databaseUrl: string, slug: string, username: string, password: string): Promise<void> {
  const database = await openDatabase(databaseUrl);
  const now = Date.now();
  const tenant = await database.db.insertInto("tenants").values({ slug, name: slug, created_at: now }).returning("id").executeTakeFirstOrThrow();
  await database.db
    .insertInto("users")
    .values({
      tenant_id: tenant.id,
      username,
      full_name: username,
      email: "",
      role: "admin",
      password_hash: await hashPassword(password),
      created_at: now,
      updated_at: now,
    })
    .execute();
  await database.close();
}
