import type { Kysely } from "kysely";
import type { DB } from "../storage/schema.js";
import { generatePassword, hashPassword } from "./passwords.js";

export const DEFAULT_TENANT = "default";

export interface BootstrapResult {
  created: boolean;
  /** Set only when a password was generated; the caller prints it once. */
  generatedPassword?: string;
}

/**
 * On an empty database: the tenant `default` and its admin. Later starts
 * change nothing, even when ADMIN_PASSWORD differs.
 */
export async function bootstrap(db: Kysely<DB>, admin: { username: string; password?: string }, now: number): Promise<BootstrapResult> {
  const existing = await db.selectFrom("tenants").select("id").limit(1).executeTakeFirst();
  if (existing) return { created: false };
  const password = admin.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  // Several processes may start at once on an empty database: the tenant's
  // unique slug decides which one creates it, and the others change nothing.
  const created = await db.transaction().execute(async (trx) => {
    const tenant = await trx
      .insertInto("tenants")
      .values({ slug: DEFAULT_TENANT, name: "Default", created_at: now })
      .onConflict((oc) => oc.column("slug").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!tenant) return false;
    await trx
      .insertInto("users")
      .values({
        tenant_id: tenant.id,
        username: admin.username,
        full_name: "Administrator",
        email: "",
        role: "admin",
        system_admin: 1,
        password_hash: passwordHash,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return true;
  });
  if (!created) return { created: false };
  return admin.password ? { created: true } : { created: true, generatedPassword: password };
}
