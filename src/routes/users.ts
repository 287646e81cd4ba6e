import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { principalOf, storeOf } from "../auth/authenticate.js";
import { hashPassword, verifyPassword } from "../auth/passwords.js";
import { badRequest, conflict, notFound } from "../http/errors.js";
import { errors, Paginated, PageQuery, toPage } from "../schemas/common.js";
import { NewUserBody, OwnPasswordBody, PasswordResetBody, toUser, UserIdParams, UserPatchBody, UserSchema } from "../schemas/users.js";
import type { Services } from "../services.js";
import type { UserRow } from "../storage/users.js";

const tags = ["Users"];
const admins = { access: { role: "admin", sessionOnly: true } } as const;
const anyone = { access: { role: "viewer", sessionOnly: true } } as const;

export const userRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { audit, now } = services;
  const lastAdmin = () => conflict("the tenant would be left without an enabled admin: make another user admin first");

  app.get(
    "/users",
    { config: admins, schema: { tags, summary: "The tenant's users", querystring: Type.Object(PageQuery, { additionalProperties: false }), response: { 200: Paginated(UserSchema, "A page of users") } } },
    async (request) => {
      const { page, limit } = request.query;
      const { rows, total } = await storeOf(request).users.list((page - 1) * limit, limit);
      return toPage(rows.map(toUser), page, limit, total);
    },
  );

  app.post(
    "/users",
    {
      config: admins,
      schema: {
        tags,
        summary: "Create a user in the caller's tenant",
        description: "Usernames are unique across all tenants, because logging in names no tenant: a taken one is 409.",
        body: NewUserBody,
        response: { 201: UserSchema, ...errors(409) },
      },
    },
    async (request, reply) => {
      const { username, password, role, full_name, email } = request.body;
      const at = now();
      const created = await storeOf(request).users.create({
        username,
        role,
        full_name: full_name ?? "",
        email: email ?? "",
        password_hash: await hashPassword(password),
        created_at: at,
        updated_at: at,
      });
      if (!created) throw conflict(`the username '${username}' is taken`);
      await auditUser(request.ip, principalOf(request), "user_created", created, { role });
      return reply.code(201).header("location", `/api/v4/users/${created.id}`).send(toUser(created));
    },
  );

  app.get(
    "/users/me",
    { config: { access: { role: "viewer" } }, schema: { tags, summary: "The caller's own user", response: { 200: UserSchema } } },
    async (request) => {
      const principal = principalOf(request);
      return toUser((await storeOf(request).users.get(principal.userId))!);
    },
  );

  app.put(
    "/users/me/password",
    {
      config: anyone,
      schema: {
        tags,
        summary: "Change the caller's own password",
        description: "Needs the current password. Ends every other session of the user; the calling session stays.",
        body: OwnPasswordBody,
        response: { 204: { type: "null", description: "Changed" } },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const store = storeOf(request);
      const user = (await store.users.get(principal.userId))!;
      if (!(await verifyPassword(request.body.current_password, user.password_hash))) throw badRequest("current_password is wrong");
      await store.users.update(user.id, { password_hash: await hashPassword(request.body.new_password), updated_at: now() }, { keepSession: principal.tokenHash });
      await auditUser(request.ip, principal, "password_changed", user);
      return reply.code(204).send();
    },
  );

  app.get(
    "/users/:user_id",
    { config: admins, schema: { tags, summary: "One user of the tenant", params: UserIdParams, response: { 200: UserSchema, ...errors(404) } } },
    async (request) => toUser(userOf(request.params.user_id, await storeOf(request).users.get(request.params.user_id))),
  );

  app.patch(
    "/users/:user_id",
    {
      config: admins,
      schema: {
        tags,
        summary: "Change a user's role, name or email, or disable or enable them",
        description:
          "Disabling ends the user's sessions and stops their API keys (until enabled again). A role change applies to their " +
          "next request, and caps their API keys. 409 if the tenant would be left without an enabled admin.",
        params: UserIdParams,
        body: UserPatchBody,
        response: { 200: UserSchema, ...errors(404, 409) },
      },
    },
    async (request) => {
      const { user_id } = request.params;
      const { disabled, ...rest } = request.body;
      const store = storeOf(request);
      const before = userOf(user_id, await store.users.get(user_id));
      const at = now();
      const disabledAt = disabled === undefined ? {} : { disabled_at: disabled ? (before.disabled_at ?? at) : null };
      const updated = await store.users.update(user_id, { ...rest, ...disabledAt, updated_at: at });
      if (updated === "last-admin") throw lastAdmin();
      const changed = Object.fromEntries(Object.entries(request.body).filter(([key, value]) => before[key as keyof UserRow] !== value));
      await auditUser(request.ip, principalOf(request), "user_updated", before, changed);
      return toUser(userOf(user_id, updated));
    },
  );

  app.post(
    "/users/:user_id/password",
    {
      config: admins,
      schema: {
        tags,
        summary: "Set a user's password (an admin's reset)",
        description: "Ends all of the user's sessions.",
        params: UserIdParams,
        body: PasswordResetBody,
        response: { 204: { type: "null", description: "Set" }, ...errors(404) },
      },
    },
    async (request, reply) => {
      const { user_id } = request.params;
      const store = storeOf(request);
      const user = userOf(user_id, await store.users.get(user_id));
      await store.users.update(user_id, { password_hash: await hashPassword(request.body.password), updated_at: now() });
      await auditUser(request.ip, principalOf(request), "password_reset", user);
      return reply.code(204).send();
    },
  );

  function userOf<T>(userId: number, row: T | undefined): T {
    if (!row) throw notFound(`user ${userId} not found`);
    return row;
  }

  async function auditUser(
    ip: string,
    principal: { tenantId: number; actor: string },
    event: "user_created" | "user_updated" | "password_changed" | "password_reset",
    user: UserRow,
    details?: Record<string, unknown>,
  ) {
    await audit.record({ tenantId: principal.tenantId, event, actor: principal.actor, target: user.username, ip, ...(details ? { details } : {}) }, now());
  }
};
