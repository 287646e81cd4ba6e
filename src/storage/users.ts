import type { Kysely, Selectable } from "kysely";
import type { DB, UsersTable } from "./schema.js";

export type UserRow = Selectable<UsersTable>;

export function createUsersRepository(db: Kysely<DB>) {
  return {
    findByUsername(username: string): Promise<UserRow | undefined> {
      return db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
    },

    async recordLogin(userId: number, at: number): Promise<UserRow> {
      return db
        .updateTable("users")
        .set({ last_login_at: at })
        .where("id", "=", userId)
        .returningAll()
        .executeTakeFirstOrThrow();
    },
  };
}

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
        .select(["sessions.tenant_id", "sessions.user_id", "users.username", "users.role"])
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
