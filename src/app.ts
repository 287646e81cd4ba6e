import { randomUUID } from "node:crypto";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { requireAuthentication } from "./auth/authenticate.js";
import { clientErrorHandler, frameworkErrors, registerErrorHandler } from "./http/errors.js";
import { registerJsonParser } from "./http/json-body.js";
import { registerRequestMetrics } from "./http/metrics.js";
import { registerNotFound } from "./http/not-found.js";
import { finiteKeyword } from "./http/validation.js";
import { assetRoutes } from "./routes/assets.js";
import { withFilterParameter, type OpenApiDocument } from "./schemas/filter-parameter.js";
import { exportRoutes } from "./routes/export.js";
import { authRoutes } from "./routes/auth.js";
import { fieldRoutes } from "./routes/fields.js";
import { healthRoutes } from "./routes/health.js";
import { importStartRoutes } from "./routes/import-start.js";
import { importRoutes } from "./routes/imports.js";
import { ErrorSchema } from "./schemas/common.js";
import type { Services } from "./services.js";

export const API_PREFIX = "/api/v4";

/** Builds the HTTP app; it never listens (server.ts does). */
export async function buildApp(services: Services, options: { logger?: FastifyBaseLogger } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: services.config.MAX_BODY_BYTES,
    requestIdHeader: "x-request-id",
    genReqId: () => randomUUID(),
    ajv: {
      customOptions: { removeAdditional: false, allErrors: false },
      plugins: [finiteKeyword],
    },
    // Field names of up to 255 characters appear in paths, percent-encoded.
    routerOptions: { maxParamLength: 4096 },
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandler(app);
  registerNotFound(app);
  registerRequestMetrics(app, services.metrics);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  registerJsonParser(app);

  app.addSchema(ErrorSchema);
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Assetport API",
        version: "4.0.0",
        description:
          "Self-hosted asset registry. The import API is a drop-in for thingsHub v4. " +
          "Errors are always `{code, error}`; authenticate with `Authorization: Bearer <token>` from POST /api/v4/auth/token.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transformObject: (document) => withFilterParameter(("openapiObject" in document ? document.openapiObject : document.swaggerObject) as OpenApiDocument) as never,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { services });
  await app.register(
    async (api) => {
      await api.register(authRoutes, { services });
      await api.register(async (scope) => {
        requireAuthentication(scope, services.sessions, services.now);
        await scope.register(fieldRoutes, { services });
        await scope.register(assetRoutes, { services });
        await scope.register(exportRoutes, { services });
        await scope.register(importStartRoutes, { services });
        await scope.register(importRoutes, { services });
      });
    },
    { prefix: API_PREFIX },
  );
  return app;
}
