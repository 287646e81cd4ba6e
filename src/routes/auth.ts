import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { principalOf, requireAuthentication, storeOf } from "../auth/authenticate.js";
import { verifyDecoyPassword, verifyPassword } from "../auth/passwords.js";
import { generateToken, hashToken } from "../auth/tokens.js";
import { clientKey } from "../http/client-address.js";
import { badRequest, HttpError } from "../http/errors.js";
import type { RequestLimiter } from "../http/rate-limit.js";
import { LoginBody, TokenResponse } from "../schemas/auth.js";
import { errors } from "../schemas/common.js";
import { toUser } from "../schemas/users.js";
import type { Services } from "../services.js";
import { formatTime } from "../time.js";

const tags = ["Auth"];

export const authRoutes: FastifyPluginAsyncTypebox<{ services: Services; limit: RequestLimiter }> = async (app, { services, limit }) => {
  const { users, sessions, audit, config, now, loginThrottle: throttle } = services;

  app.post(
    "/auth/token",
    {
      schema: {
        operationId: "logIn",
        tags,
        security: [],
        summary: "Log in: exchange username and password for a session token",
        description:
          "An unknown username, a disabled user and a wrong password get the same answer. After LOGIN_MAX_FAILURES failed " +
          "logins for one username from one address (or LOGIN_MAX_FAILURES_PER_ADDRESS from one address) within " +
          "LOGIN_WINDOW_SECONDS, attempts are refused with 429 and Retry-After, even with the right password.",
        body: LoginBody,
        response: { 200: TokenResponse, ...errors(400, 429, 503) },
      },
      onRequest: (request, reply) => limit(request, reply, `address:${clientKey(request.ip)}`),
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const at = now();
      const wait = throttle.retryAfter(username, request.ip, at);
      if (wait > 0) {
        // Not recorded: the lockout was, once, when it began.
        reply.header("retry-after", String(wait));
        throw new HttpError(429, `too many failed logins: try again in ${wait} seconds`);
      }
      const user = await users.findByUsername(username);
      // The same answer, in the same time, for an unknown user, a disabled
      // user and a wrong password: nothing tells which usernames exist.
      const valid = user ? await verifyPassword(password, user.password_hash) : await verifyDecoyPassword(password);
      if (!user || !valid || user.disabled_at !== null) {
        const locks = throttle.failed(username, request.ip, at);
        const event = { tenantId: user?.tenant_id ?? null, actor: null, target: username, ip: request.ip };
        await audit.record({ ...event, event: "login_failed" }, at);
        if (locks) await audit.record({ ...event, event: "login_throttled" }, at);
        throw badRequest("invalid credentials");
      }
      throttle.succeeded(username, request.ip);
      // Expired sessions are pruned here rather than by a timer: logins are rare and the table small.
      await sessions.deleteExpired(at);
      const token = generateToken();
      const expiresAt = at + config.SESSION_TTL_HOURS * 3600_000;
      await sessions.create({ token_hash: hashToken(token), tenant_id: user.tenant_id, user_id: user.id, created_at: at, expires_at: expiresAt });
      const loggedIn = await users.recordLogin(user.id, at);
      await audit.record({ tenantId: user.tenant_id, event: "login", actor: user.username, target: user.username, ip: request.ip }, at);
      request.log.info({ user: user.username }, "login");
      return { token, expires: formatTime(expiresAt), User: toUser(loggedIn) };
    },
  );

  await app.register(async (scope) => {
    requireAuthentication(scope, services, limit);
    scope.delete(
      "/auth/token",
      {
        config: { access: { role: "viewer" } },
        schema: {
          operationId: "logOut",
          tags,
          summary: "Log out: revoke the session that makes this call",
          description: "Called with an API key, this changes nothing (delete the key instead).",
          response: { 204: { type: "null", description: "Revoked" } },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (principal.apiKeyId === null) {
          await sessions.revoke(principal.tokenHash);
          await storeOf(request).audit.record({ event: "logout", actor: principal.username, target: principal.username, ip: request.ip }, now());
        }
        return reply.code(204).send();
      },
    );
  });
};
