import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { sql } from "kysely";
import { HttpError } from "../http/errors.js";
import { STARTING_RETRY_AFTER, startingError } from "../http/readiness.js";
import { errors } from "../schemas/common.js";
import type { Services } from "../services.js";

const tags = ["Service"];
const Status = Type.Object({ status: Type.String() });

export const healthRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get("/healthz", { schema: { operationId: "checkLiveness", tags, security: [], summary: "The process is alive", response: { 200: Status } } }, async () => ({ status: "ok" }));

  app.get(
    "/readyz",
    {
      schema: {
        operationId: "checkReadiness",
        tags,
        security: [],
        summary: "The service has started and its database is reachable",
        description: "503 while the service starts (migrations, the first start's admin, the import worker) and when the database does not answer.",
        response: { 200: Status, ...errors(503) },
      },
    },
    async (request, reply) => {
      if (!services.readiness.ready) {
        reply.header("retry-after", String(STARTING_RETRY_AFTER));
        throw startingError();
      }
      // A database that does not answer within 3 s counts as unreachable.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("no answer within 3 s")), 3000);
      });
      try {
        await Promise.race([sql`select 1`.execute(services.database.db), timeout]);
      } catch (err) {
        request.log.warn({ err }, "database not reachable");
        throw new HttpError(503, "database unreachable");
      } finally {
        clearTimeout(timer);
      }
      return { status: "ready" };
    },
  );

  app.get(
    "/metrics",
    { schema: { operationId: "getMetrics", tags, security: [], summary: "Prometheus metrics", produces: ["text/plain"], response: { 200: { type: "string" } } } },
    async (_request, reply) => {
      reply.type(services.metrics.contentType);
      return services.metrics.metrics();
    },
  );
};
