import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { principalOf, storeOf } from "../auth/authenticate.js";
import { Paginated, PageQuery, StringEnum, Timestamp, toPage } from "../schemas/common.js";
import type { Services } from "../services.js";
import { AUDIT_EVENTS } from "../storage/audit.js";
import { formatTime } from "../time.js";

const AuditEventSchema = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  event: Type.String(),
  actor: Type.Union([Type.String(), Type.Null()], { description: "Who acted (null for logins, which act as nobody yet)" }),
  target: Type.Union([Type.String(), Type.Null()], { description: "The username, key, or tenant acted on" }),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});

const AuditQuery = Type.Object(
  { ...PageQuery, event: Type.Optional(StringEnum(AUDIT_EVENTS)) },
  { additionalProperties: false },
);

export const auditRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app) => {
  app.get(
    "/audit-events",
    {
      config: { access: { role: "admin" } },
      schema: {
        operationId: "listAuditEvents",
        tags: ["Audit"],
        summary: "Security events of the tenant, newest first",
        description:
          "Logins, failed logins, lockouts, logouts, password changes (and failed ones) and resets, user, API key and tenant changes. A " +
          "system administrator also sees failed logins under usernames that no tenant has.",
        querystring: AuditQuery,
        response: { 200: Paginated(AuditEventSchema, "A page of events") },
      },
    },
    async (request) => {
      const { page, limit, event } = request.query;
      const filter = { includeUnattributed: principalOf(request).systemAdmin, ...(event ? { event } : {}) };
      const { rows, total } = await storeOf(request).audit.list(filter, (page - 1) * limit, limit);
      const collection = rows.map((row) => ({ ...row, at: formatTime(row.at), details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>) }));
      return toPage(collection, page, limit, total);
    },
  );
};
