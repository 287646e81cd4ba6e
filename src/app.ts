import { randomUUID } from "node:crypto";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import helmet from "@fastify/helmet";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { requireAuthentication } from "./auth/authenticate.js";
import { clientErrorHandler, expectationFailed, frameworkErrors, registerErrorHandler } from "./http/errors.js";
import { registerJsonParser } from "./http/json-body.js";
import { jsonLimits } from "./http/json-limits.js";
import { registerRateLimit } from "./http/rate-limit.js";
import { registerHttpsRequirement, tlsOptions } from "./http/transport.js";
import { registerRequestMetrics } from "./http/metrics.js";
import { registerNotFound } from "./http/not-found.js";
import { consolePageFallback, isServiceRoute, registerConsole } from "./http/console.js";
import { registerReadinessGate } from "./http/readiness.js";
import { registerStrictQuery } from "./http/strict-query.js";
import { finiteKeyword } from "./http/validation.js";
import { assetBatchRoutes } from "./routes/asset-batch.js";
import { assetRoutes } from "./routes/assets.js";
import { assetStatsRoutes } from "./routes/asset-stats.js";
import type { OpenApiDocument } from "./schemas/filter-parameter.js";
import { finishOpenApiDocument } from "./schemas/openapi-document.js";
import { exportRoutes } from "./routes/export.js";
import { authRoutes } from "./routes/auth.js";
import { fieldRoutes } from "./routes/fields.js";
import { healthRoutes } from "./routes/health.js";
import { importStartRoutes } from "./routes/import-start.js";
import { importRoutes } from "./routes/imports.js";
import { apiKeyRoutes } from "./routes/api-keys.js";
import { auditRoutes } from "./routes/audit.js";
import { categoryRoutes } from "./routes/categories.js";
import { siteRoutes } from "./routes/sites.js";
import { statusSetRoutes } from "./routes/status-sets.js";
import { tenantRoutes } from "./routes/tenants.js";
import { userRoutes } from "./routes/users.js";
import { ErrorSchema } from "./schemas/common.js";
import type { Services } from "./services.js";

export const API_PREFIX = "/api/v4";

/** Builds the HTTP app; it never listens (server.ts does). */
export async function buildApp(services: Services, options: { logger?: FastifyBaseLogger } = {}): Promise<FastifyInstance> {
  const { config } = services;
  const tls = tlsOptions(config);
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    ...(tls ? { https: tls } : {}),
    // A list of proxy addresses, never `true`: trusting every hop would let
    // a client name its own address in X-Forwarded-For.
    ...(config.TRUST_PROXY ? { trustProxy: config.TRUST_PROXY } : {}),
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

  app.server.on("checkExpectation", expectationFailed);
  registerErrorHandler(app);
  registerNotFound(app, consolePageFallback());
  registerRequestMetrics(app, services.metrics);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  registerHttpsRequirement(app, config, ["/healthz", "/readyz"]);
  registerReadinessGate(app, services.readiness, API_PREFIX);
  registerStrictQuery(app, (url) => isServiceRoute(url) && !url.startsWith("/docs"));
  await registerSecurityHeaders(app);
  const limit = await registerRateLimit(app, config.RATE_LIMIT_PER_MINUTE);

  registerJsonParser(app, jsonLimits(config));

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
    transformObject: (document) => finishOpenApiDocument(("openapiObject" in document ? document.openapiObject : document.swaggerObject) as OpenApiDocument) as never,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  await registerConsole(app);

  await app.register(healthRoutes, { services });
  await app.register(
    async (api) => {
      await api.register(authRoutes, { services, limit });
      await api.register(async (scope) => {
        requireAuthentication(scope, services, limit);
        await scope.register(userRoutes, { services });
        await scope.register(apiKeyRoutes, { services });
        await scope.register(tenantRoutes, { services });
        await scope.register(auditRoutes, { services });
        await scope.register(fieldRoutes, { services });
        await scope.register(siteRoutes, { services });
        await scope.register(statusSetRoutes, { services });
        await scope.register(categoryRoutes, { services });
        await scope.register(assetRoutes, { services });
        await scope.register(assetStatsRoutes);
        await scope.register(assetBatchRoutes, { services });
        await scope.register(exportRoutes, { services });
        await scope.register(importStartRoutes, { services });
        await scope.register(importRoutes, { services });
      });
    },
    { prefix: API_PREFIX },
  );
  return app;
}

/**
 * Helmet's headers on every answer. One Content-Security-Policy serves both
 * the JSON API (which needs none of it) and the Swagger UI at /docs, which
 * loads its own scripts and styles and inline styles from this origin.
 */
async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "base-uri": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
      },
    },
    // As frame-ancestors 'none', for browsers that only know X-Frame-Options.
    frameguard: { action: "deny" },
  });
  // Answers are per user: no shared cache may keep them. The files of the
  // docs and the console are the exception (by route, since the raw URL may
  // be escaped); so is the console's page, which says no-cache itself.
  app.addHook("onSend", async (request, reply) => {
    const url = request.routeOptions.url;
    if (url === undefined ? !reply.hasHeader("cache-control") : isServiceRoute(url) && !url.startsWith("/docs")) reply.header("cache-control", "no-store");
  });
}
