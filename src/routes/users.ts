import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { Type } from "@sinclair/typebox";
import { principalOf, storeOf } from "../auth/authenticate.js";
import { hashPassword, verifyPassword } from "../auth/passwords.js";
import { rankOf } from "../auth/roles.js";
import { badRequest, conflict, HttpError, notFound } from "../http/errors.js";
import { errors, Paginated, PageQuery, toPage, withHeaders } from "../schemas/common.js";
import { NewUserBody, OwnPasswordBody, PasswordResetBody, toUser, UserIdParams, UserPatchBody, UserSchema } from "../schemas/users.js";
import type { Services } from "../services.js";
import type { UserRow } from "../storage/users.js";

const tags = ["Users"];
const admins = { access: { role: "admin", sessionOnly: true } } as const;
const anyone = { access: { role: "viewer", sessionOnly: true } } as const;

export const userRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { now, loginThrottle } = services;
  const lastAdmin = () => conflict("the tenant would be left without an enabled admin: make another user admin first");

  app.get(
    "/users",
    { config: admins, schema: { operationId: "listUsers", tags, summary: "The tenant's users", querystring: Type.Object(PageQuery, { additionalProperties: false }), response: { 200: Paginated(UserSchema, "A page of users") } } },
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
        operationId: "createUser",
        tags,
        summary: "Create a user in the caller's tenant",
        description: "Usernames are unique across all tenants, because logging in names no tenant: a taken one is 409.",
        body: NewUserBody,
        response: { 201: withHeaders(UserSchema, "Location"), ...errors(409) },
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
      await auditUser(request, "user_created", created, { role });
      return reply.code(201).header("location", `/api/v4/users/${created.id}`).send(toUser(created));
    },
  );

  app.get(
    "/users/me",
    { config: { access: { role: "viewer" } }, schema: { operationId: "getCurrentUser", tags, summary: "The caller's own user", response: { 200: UserSchema } } },
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
        operationId: "changeOwnPassword",
        tags,
        summary: "Change the caller's own password",
        description:
          "Needs the current password, whose wrong guesses count with failed logins (429 with Retry-After past the limit). " +
          "Ends every other session of the user; the calling session and the user's API keys stay (delete keys at /api-keys).",
        body: OwnPasswordBody,
        response: { 204: { type: "null", description: "Changed" }, ...errors(429) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const store = storeOf(request);
      const at = now();
      // A stolen session must not become a way around the login throttle.
      const wait = loginThrottle.retryAfter(principal.username, request.ip, at);
      if (wait > 0) {
        reply.header("retry-after", String(wait));
        throw new HttpError(429, `too many failed password checks: try again in ${wait} seconds`);
      }
      const user = (await store.users.get(principal.userId))!;
      if (!(await verifyPassword(request.body.current_password, user.password_hash))) {
        const locks = loginThrottle.failed(principal.username, request.ip, at);
        await auditUser(request, "password_change_failed", user);
        if (locks) await store.audit.record({ event: "login_throttled", actor: principal.actor, target: user.username, ip: request.ip }, at);
        throw badRequest("current_password is wrong");
      }
      loginThrottle.succeeded(principal.username, request.ip);
      await store.users.update(user.id, { password_hash: await hashPassword(request.body.new_password), updated_at: at }, { keepSession: principal.tokenHash });
      await auditUser(request, "password_changed", user);
      return reply.code(204).send();
    },
  );

  app.get(
    "/users/:user_id",
    { config: admins, schema: { operationId: "getUser", tags, summary: "One user of the tenant", params: UserIdParams, response: { 200: UserSchema, ...errors(404) } } },
    async (request) => toUser(userOf(request.params.user_id, await storeOf(request).users.get(request.params.user_id))),
  );

  app.patch(
    "/users/:user_id",
    {
      config: admins,
      schema: {
        operationId: "updateUser",
        tags,
        summary: "Change a user's role, name or email, or disable or enable them",
        description:
          "Disabling ends the user's sessions and stops their API keys (until enabled again). A role change applies to their " +
          "next request, and caps their API keys. 409 if the tenant would be left without an enabled admin; 403 for demoting " +
          "or disabling a system administrator unless the caller is one.",
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
      const demotes = (disabled === true && before.disabled_at === null) || (rest.role !== undefined && rankOf(rest.role) < rankOf(before.role));
      if (demotes) guardSystemAdmin(principalOf(request), before);
      const at = now();
      const disabledAt = disabled === undefined ? {} : { disabled_at: disabled ? (before.disabled_at ?? at) : null };
      const updated = await store.users.update(user_id, { ...rest, ...disabledAt, updated_at: at });
      if (updated === "last-admin") throw lastAdmin();
      const changed = Object.fromEntries(Object.entries(request.body).filter(([key, value]) => before[key as keyof UserRow] !== value));
      await auditUser(request, "user_updated", before, changed);
      return toUser(userOf(user_id, updated));
    },
  );

  app.post(
    "/users/:user_id/password",
    {
      config: admins,
      schema: {
        operationId: "resetUserPassword",
        tags,
        summary: "Set a user's password (an admin's reset)",
        description:
          "The answer to a compromised account: ends all of the user's sessions and deletes their API keys (the audit " +
          "event counts them). Only a system administrator may reset a system administrator's password.",
        params: UserIdParams,
        body: PasswordResetBody,
        response: { 204: { type: "null", description: "Set" }, ...errors(404) },
      },
    },
    async (request, reply) => {
      const { user_id } = request.params;
      const store = storeOf(request);
      const user = userOf(user_id, await store.users.get(user_id));
      guardSystemAdmin(principalOf(request), user);
      await store.users.update(user_id, { password_hash: await hashPassword(request.body.password), updated_at: now() });
      const keysDeleted = await store.apiKeys.deleteOfUser(user_id);
      await auditUser(request, "password_reset", user, { api_keys_deleted: keysDeleted });
      return reply.code(204).send();
    },
  );

  /**
   * Only a system administrator may reset, demote or disable one: a tenant
   * admin who could would take over or lock out the one role that spans
   * tenants. Giving one back their role or enabling them is anyone's (admin's).
   */
  function guardSystemAdmin(principal: { systemAdmin: boolean }, target: UserRow): void {
    if (target.system_admin === 1 && !principal.systemAdmin) throw new HttpError(403, "only a system administrator may change a system administrator");
  }

  function userOf<T>(userId: number, row: T | undefined): T {
    if (!row) throw notFound(`user ${userId} not found`);
    return row;
  }

  async function auditUser(
    request: FastifyRequest,
    event: "user_created" | "user_updated" | "password_changed" | "password_change_failed" | "password_reset",
    user: UserRow,
    details?: Record<string, unknown>,
  ) {
    const record = { event, actor: principalOf(request).actor, target: user.username, ip: request.ip, ...(details ? { details } : {}) };
    await storeOf(request).audit.record(record, now());
  }
};
