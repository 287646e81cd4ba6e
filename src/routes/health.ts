import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { sql } from "kysely";
import { HttpError } from "../http/errors.js";
import { errors } from "../schemas/common.js";
import type { Services } from "../services.js";

const tags = ["Service"];
const Status = Type.Object({ status: Type.String() });

export const healthRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get("/healthz", { schema: { tags, summary: "The process is alive", response: { 200: Status } } }, async () => ({ status: "ok" }));

  app.get(
    "/readyz",
    { schema: { tags, summary: "The database is reachable", response: { 200: Status, ...errors(503) } } },
    async (request) => {
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
    { schema: { tags, summary: "Prometheus metrics", produces: ["text/plain"], response: { 200: { type: "string" } } } },
    async (_request, reply) => {
      reply.type(services.metrics.contentType);
      return services.metrics.metrics();
    },
  );
};
