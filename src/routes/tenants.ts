import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { principalOf, storeOf } from "../auth/authenticate.js";
import { hashPassword } from "../auth/passwords.js";
import { conflict } from "../http/errors.js";
import { errors, Paginated, PageQuery, toPage } from "../schemas/common.js";
import { CreatedTenantSchema, NewTenantBody, TenantSchema, toTenant } from "../schemas/tenants.js";
import { toUser } from "../schemas/users.js";
import type { Services } from "../services.js";

const tags = ["Tenants"];
const access = { access: { role: "system", sessionOnly: true } } as const;

export const tenantRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { tenants, audit, now } = services;

  app.post(
    "/tenants",
    {
      config: access,
      schema: {
        operationId: "createTenant",
        tags,
        summary: "Create a tenant and its first admin",
        description: "409 when the slug or the admin's username is taken; then nothing is created.",
        body: NewTenantBody,
        response: { 201: CreatedTenantSchema, ...errors(409) },
      },
    },
    async (request, reply) => {
      const { slug, name, admin } = request.body;
      const at = now();
      const created = await tenants.create(
        { slug, name },
        { username: admin.username, full_name: admin.full_name ?? "", email: admin.email ?? "", role: "admin", password_hash: await hashPassword(admin.password), created_at: at, updated_at: at },
        at,
      );
      if (created === "slug") throw conflict(`a tenant with the slug '${slug}' exists`);
      if (created === "username") throw conflict(`the username '${admin.username}' is taken`);
      const details = { tenant_id: created.tenant.id, admin: admin.username };
      await storeOf(request).audit.record({ event: "tenant_created", actor: principalOf(request).actor, target: slug, ip: request.ip, details }, at);
      // The new tenant learns that it was made, not by whom: a system
      // administrator's username is not for every tenant to see.
      await audit.record({ tenantId: created.tenant.id, event: "tenant_created", actor: "system administrator", target: slug, ip: null, details }, at);
      return reply.code(201).send({ ...toTenant(created.tenant), admin: toUser(created.admin) });
    },
  );

  app.get(
    "/tenants",
    { config: access, schema: { operationId: "listTenants", tags, summary: "All tenants", querystring: Type.Object(PageQuery, { additionalProperties: false }), response: { 200: Paginated(TenantSchema, "A page of tenants") } } },
    async (request) => {
      const { page, limit } = request.query;
      const { rows, total } = await tenants.list((page - 1) * limit, limit);
      return toPage(rows.map(toTenant), page, limit, total);
    },
  );
};
