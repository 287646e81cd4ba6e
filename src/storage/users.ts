import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import { lockTenantChanges } from "./asset-changes.js";
import type { DB, UsersTable } from "./schema.js";

export type UserRow = Selectable<UsersTable>;
export type NewUser = Omit<Insertable<UsersTable>, "id" | "tenant_id" | "last_login_at" | "disabled_at" | "system_admin">;

export function createUsersRepository(db: Kysely<DB>) {
  return {
    /** Usernames are unique across tenants: a login names no tenant. */
    findByUsername(username: string): Promise<UserRow | undefined> {
      return db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
    },

    async recordLogin(userId: number, at: number): Promise<UserRow> {
      return db.updateTable("users").set({ last_login_at: at }).where("id", "=", userId).returningAll().executeTakeFirstOrThrow();
    },

    async list(tenantId: number, offset: number, limit: number): Promise<{ rows: UserRow[]; total: number }> {
      const query = db.selectFrom("users").where("tenant_id", "=", tenantId);
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy("id").offset(offset).limit(limit).execute(),
        query.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },

    get(tenantId: number, userId: number): Promise<UserRow | undefined> {
      return db.selectFrom("users").selectAll().where("tenant_id", "=", tenantId).where("id", "=", userId).executeTakeFirst();
    },

    /** The new user, or undefined when the username is taken. */
    async create(tenantId: number, user: NewUser, executor: Kysely<DB> = db): Promise<UserRow | undefined> {
      return executor
        .insertInto("users")
        .values({ ...user, tenant_id: tenantId })
        .onConflict((oc) => oc.column("username").doNothing())
        .returningAll()
        .executeTakeFirst();
    },

    /**
     * Applies `changes` unless the tenant would be left without an enabled
     * admin; ends the user's sessions when they are disabled or their
     * password changes (keeping `keepSession`, the caller's own). Undefined
     * when there is no such user; "last-admin" when refused.
     */
    async update(
      tenantId: number,
      userId: number,
      changes: Updateable<UsersTable>,
      options: { keepSession?: string } = {},
    ): Promise<UserRow | "last-admin" | undefined> {
      return db.transaction().execute(async (trx) => {
        // Concurrent changes of one tenant's admins take turns, so two admins
        // cannot each demote the other and leave none.
        await lockTenantChanges(trx, tenantId);
        const updated = await trx.updateTable("users").set(changes).where("tenant_id", "=", tenantId).where("id", "=", userId).returningAll().executeTakeFirst();
        if (!updated) return undefined;
        const admins = await trx
          .selectFrom("users")
          .select((eb) => eb.fn.countAll<number | string>().as("n"))
          .where("tenant_id", "=", tenantId)
          .where("role", "=", "admin")
          .where("disabled_at", "is", null)
          .executeTakeFirstOrThrow();
        if (Number(admins.n) === 0) throw new LastAdmin();
        if (changes.disabled_at != null || changes.password_hash !== undefined) {
          let ending = trx.deleteFrom("sessions").where("user_id", "=", userId);
          if (options.keepSession !== undefined) ending = ending.where("token_hash", "!=", options.keepSession);
          await ending.execute();
        }
        return updated;
      }).catch((err: unknown) => {
        if (err instanceof LastAdmin) return "last-admin" as const;
        throw err;
      });
    },
  };
}

class LastAdmin extends Error {}

export function createSessionsRepository(db: Kysely<DB>) {
  return {
    async create(session: { token_hash: string; tenant_id: number; user_id: number; created_at: number; expires_at: number }) {
      await db.insertInto("sessions").values(session).execute();
    },

    /** The live session of a token hash with its user, or undefined. */
    findLive(tokenHash: string, now: number) {
      return db
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .select(["sessions.tenant_id", "sessions.user_id", "users.username", "users.role", "users.system_admin"])
        .where("sessions.token_hash", "=", tokenHash)
        .where("sessions.expires_at", ">", now)
        .where("users.disabled_at", "is", null)
        .executeTakeFirst();
    },

    async revoke(tokenHash: string): Promise<void> {
      await db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
    },

    async deleteExpired(now: number): Promise<void> {
      await db.deleteFrom("sessions").where("expires_at", "<=", now).execute();
    },
  };
}
