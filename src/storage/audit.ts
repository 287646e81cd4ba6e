import type { Kysely, Selectable } from "kysely";
import type { AuditEventsTable, DB } from "./schema.js";

export type AuditEventRow = Selectable<AuditEventsTable>;

export const AUDIT_EVENTS = [
  "login",
  "login_failed",
  "login_throttled",
  "logout",
  "password_changed",
  "password_change_failed",
  "password_reset",
  "user_created",
  "user_updated",
  "api_key_created",
  "api_key_deleted",
  "tenant_created",
] as const;
export type AuditEventName = (typeof AUDIT_EVENTS)[number];

export interface AuditEvent {
  tenantId: number | null;
  event: AuditEventName;
  actor: string | null;
  target?: string | null;
  ip: string | null;
  details?: Record<string, unknown>;
}

export function createAuditRepository(db: Kysely<DB>) {
  return {
    async record(event: AuditEvent, at: number, executor: Kysely<DB> = db): Promise<void> {
      await executor
        .insertInto("audit_events")
        .values({
          tenant_id: event.tenantId,
          at,
          event: event.event,
          actor: event.actor,
          target: event.target ?? null,
          ip: event.ip,
          details: event.details ? JSON.stringify(event.details) : null,
        })
        .execute();
    },

    /** Newest first. System administrators also see failed logins that named no known user (`tenant_id` null). */
    async list(
      tenantId: number,
      filter: { event?: string; includeUnattributed: boolean },
      offset: number,
      limit: number,
    ): Promise<{ rows: AuditEventRow[]; total: number }> {
      let query = db
        .selectFrom("audit_events")
        .where((eb) => (filter.includeUnattributed ? eb.or([eb("tenant_id", "=", tenantId), eb("tenant_id", "is", null)]) : eb("tenant_id", "=", tenantId)));
      if (filter.event !== undefined) query = query.where("event", "=", filter.event);
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy("id", "desc").offset(offset).limit(limit).execute(),
        query.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
  };
}
