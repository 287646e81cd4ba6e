import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { principalOf, storeOf } from "../auth/authenticate.js";
import { atLeast, type Role } from "../auth/roles.js";
import { generateApiKey, hashToken } from "../auth/tokens.js";
import { badRequest, HttpError, notFound } from "../http/errors.js";
import { ApiKeyIdParams, ApiKeySchema, CreatedApiKeySchema, NewApiKeyBody, toApiKey } from "../schemas/api-keys.js";
import { errors, Paginated, PageQuery, toPage } from "../schemas/common.js";
import type { Services } from "../services.js";

const tags = ["API keys"];
const access = { access: { role: "viewer", sessionOnly: true } } as const;

export const apiKeyRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { now } = services;

  app.post(
    "/api-keys",
    {
      config: access,
      schema: {
        operationId: "createApiKey",
        tags,
        summary: "Create an API key",
        description:
          "The key acts as its creator with at most `role` (never more than the creator's role when it is used), until it " +
          "expires or is deleted, or its creator is disabled. The secret is in this answer only; it is stored hashed.",
        body: NewApiKeyBody,
        response: { 201: CreatedApiKeySchema },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { name, expires_at } = request.body;
      const role = (request.body.role ?? principal.role) as Role;
      if (!atLeast(principal.role, role)) throw new HttpError(403, `a key cannot have a higher role than yours ('${principal.role}')`);
      const at = now();
      const expiresAt = expires_at === undefined ? null : Date.parse(expires_at);
      if (expiresAt !== null && !(expiresAt > at)) throw badRequest("expires_at must lie in the future");
      const key = generateApiKey();
      const store = storeOf(request);
      const created = await store.apiKeys.create({
        user_id: principal.userId,
        name,
        role,
        token_hash: hashToken(key),
        prefix: key.slice(0, 12),
        created_at: at,
        expires_at: expiresAt,
      });
      await store.audit.record({ event: "api_key_created", actor: principal.actor, target: `${created.id} ${name}`, ip: request.ip, details: { role } }, at);
      return reply.code(201).send({ ...toApiKey(created), key });
    },
  );

  app.get(
    "/api-keys",
    {
      config: access,
      schema: { operationId: "listApiKeys", tags, summary: "API keys: an admin sees the tenant's, others their own", querystring: Type.Object(PageQuery, { additionalProperties: false }), response: { 200: Paginated(ApiKeySchema, "A page of keys") } },
    },
    async (request) => {
      const { page, limit } = request.query;
      const { rows, total } = await storeOf(request).apiKeys.list(ownerFilter(request), (page - 1) * limit, limit);
      return toPage(rows.map(toApiKey), page, limit, total);
    },
  );

  app.delete(
    "/api-keys/:key_id",
    {
      config: access,
      schema: {
        operationId: "deleteApiKey",
        tags,
        summary: "Delete an API key: it stops working at once",
        description: "An admin may delete any key of the tenant, others only their own (404 for anyone else's).",
        params: ApiKeyIdParams,
        response: { 204: { type: "null", description: "Deleted" }, ...errors(404) },
      },
    },
    async (request, reply) => {
      const { key_id } = request.params;
      const store = storeOf(request);
      const key = await store.apiKeys.get(key_id);
      const owner = ownerFilter(request);
      if (!key || (owner !== undefined && key.user_id !== owner)) throw notFound(`API key ${key_id} not found`);
      await store.apiKeys.delete(key_id);
      await store.audit.record({ event: "api_key_deleted", actor: principalOf(request).actor, target: `${key.id} ${key.name}`, ip: request.ip }, now());
      return reply.code(204).send();
    },
  );

  /** Whose keys the caller may see: undefined for all of the tenant's (admins). */
  function ownerFilter(request: Parameters<typeof principalOf>[0]): number | undefined {
    const principal = principalOf(request);
    return atLeast(principal.role, "admin") ? undefined : principal.userId;
  }
};
