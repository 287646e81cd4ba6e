import type { Kysely, Selectable } from "kysely";
import type { DB, TenantsTable } from "./schema.js";
import type { NewUser, UserRow } from "./users.js";

export type TenantRow = Omit<Selectable<TenantsTable>, "change_seq" | "catalog_version">;

export function createTenantsRepository(db: Kysely<DB>) {
  return {
    /** The tenant and its first admin in one transaction; "slug" or "username" when one is taken. */
    async create(tenant: { slug: string; name: string }, admin: NewUser, now: number): Promise<{ tenant: TenantRow; admin: UserRow } | "slug" | "username"> {
      return db
        .transaction()
        .execute(async (trx) => {
          const created = await trx
            .insertInto("tenants")
            .values({ ...tenant, created_at: now })
            .onConflict((oc) => oc.column("slug").doNothing())
            .returning(["id", "slug", "name", "created_at"])
            .executeTakeFirst();
          if (!created) return "slug" as const;
          const user = await trx
            .insertInto("users")
            .values({ ...admin, tenant_id: created.id, role: "admin" })
            .onConflict((oc) => oc.column("username").doNothing())
            .returningAll()
            .executeTakeFirst();
          if (!user) throw new UsernameTaken();
          return { tenant: created, admin: user };
        })
        .catch((err: unknown) => {
          if (err instanceof UsernameTaken) return "username" as const;
          throw err;
        });
    },

    async list(offset: number, limit: number): Promise<{ rows: TenantRow[]; total: number }> {
      const [rows, count] = await Promise.all([
        db.selectFrom("tenants").select(["id", "slug", "name", "created_at"]).orderBy("id").offset(offset).limit(limit).execute(),
        db.selectFrom("tenants").select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
  };
}

class UsernameTaken extends Error {}
