import type { Kysely, Selectable } from "kysely";
import type { ApiKeysTable, DB } from "./schema.js";

export type ApiKeyRow = Selectable<ApiKeysTable> & { created_by: string };

// last_used_at is written at most once a minute per key, so a busy key does
// not turn every read into a write.
const LAST_USED_GRANULARITY_MS = 60_000;

export function createApiKeysRepository(db: Kysely<DB>) {
  const withCreator = () =>
    db.selectFrom("api_keys").innerJoin("users", "users.id", "api_keys.user_id").selectAll("api_keys").select("users.username as created_by");

  return {
    async create(tenantId: number, key: Omit<Selectable<ApiKeysTable>, "id" | "tenant_id" | "last_used_at">): Promise<ApiKeyRow> {
      const { id } = await db.insertInto("api_keys").values({ ...key, tenant_id: tenantId }).returning("id").executeTakeFirstOrThrow();
      return (await withCreator().where("api_keys.id", "=", id).executeTakeFirst())!;
    },

    /** The tenant's keys, or only those `userId` created. */
    async list(tenantId: number, userId: number | undefined, offset: number, limit: number): Promise<{ rows: ApiKeyRow[]; total: number }> {
      let query = withCreator().where("api_keys.tenant_id", "=", tenantId);
      if (userId !== undefined) query = query.where("api_keys.user_id", "=", userId);
      const [rows, count] = await Promise.all([
        query.orderBy("api_keys.id").offset(offset).limit(limit).execute(),
        query.clearSelect().select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },

    get(tenantId: number, keyId: number): Promise<ApiKeyRow | undefined> {
      return withCreator().where("api_keys.tenant_id", "=", tenantId).where("api_keys.id", "=", keyId).executeTakeFirst();
    },

    async delete(tenantId: number, keyId: number): Promise<void> {
      await db.deleteFrom("api_keys").where("tenant_id", "=", tenantId).where("id", "=", keyId).execute();
    },

    /** Deletes every key a user created; returns how many there were. */
    async deleteOfUser(tenantId: number, userId: number): Promise<number> {
      const result = await db.deleteFrom("api_keys").where("tenant_id", "=", tenantId).where("user_id", "=", userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** The live key of a secret's hash with its creator, who must be enabled. */
    findLive(tokenHash: string, now: number) {
      return db
        .selectFrom("api_keys")
        .innerJoin("users", "users.id", "api_keys.user_id")
        .select([
          "api_keys.id",
          "api_keys.tenant_id",
          "api_keys.user_id",
          "api_keys.name",
          "api_keys.role as key_role",
          "api_keys.last_used_at",
          "users.username",
          "users.role as user_role",
        ])
        .where("api_keys.token_hash", "=", tokenHash)
        .where((eb) => eb.or([eb("api_keys.expires_at", "is", null), eb("api_keys.expires_at", ">", now)]))
        .where("users.disabled_at", "is", null)
        .executeTakeFirst();
    },

    async touch(keyId: number, lastUsedAt: number | null, now: number): Promise<void> {
      if (lastUsedAt !== null && now - lastUsedAt < LAST_USED_GRANULARITY_MS) return;
      await db.updateTable("api_keys").set({ last_used_at: now }).where("id", "=", keyId).execute();
    },
  };
}
