import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { principalOf, requireAuthentication } from "../auth/authenticate.js";
import { verifyDecoyPassword, verifyPassword } from "../auth/passwords.js";
import { generateToken, hashToken } from "../auth/tokens.js";
import { badRequest } from "../http/errors.js";
import { LoginBody, TokenResponse } from "../schemas/auth.js";
import { bearerSecurity, errors } from "../schemas/common.js";
import type { Services } from "../services.js";
import { formatNullableTime, formatTime } from "../time.js";

const tags = ["Auth"];

export const authRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { users, sessions, config, now } = services;

  app.post(
    "/auth/token",
    {
      schema: {
        tags,
        summary: "Log in: exchange username and password for a session token",
        body: LoginBody,
        response: { 200: TokenResponse, ...errors(400) },
      },
    },
    async (request) => {
      const { username, password } = request.body;
      const user = await users.findByUsername(username);
      // The same answer, in the same time, for an unknown user, a disabled
      // user and a wrong password: nothing tells which usernames exist.
      const valid = user ? await verifyPassword(password, user.password_hash) : await verifyDecoyPassword(password);
      if (!user || !valid || user.disabled_at !== null) throw badRequest("invalid credentials");
      const at = now();
      // Expired sessions are pruned here rather than by a timer: logins are rare and the table small.
      await sessions.deleteExpired(at);
      const token = generateToken();
      const expiresAt = at + config.SESSION_TTL_HOURS * 3600_000;
      await sessions.create({ token_hash: hashToken(token), tenant_id: user.tenant_id, user_id: user.id, created_at: at, expires_at: expiresAt });
      const loggedIn = await users.recordLogin(user.id, at);
      request.log.info({ user: user.username }, "login");
      return {
        token,
        expires: formatTime(expiresAt),
        User: {
          id: loggedIn.id,
          username: loggedIn.username,
          full_name: loggedIn.full_name,
          email: loggedIn.email,
          role: loggedIn.role,
          tenant_id: loggedIn.tenant_id,
          created_at: formatTime(loggedIn.created_at),
          updated_at: formatTime(loggedIn.updated_at),
          last_login_at: formatNullableTime(loggedIn.last_login_at),
        },
      };
    },
  );

  await app.register(async (scope) => {
    requireAuthentication(scope, sessions, now);
    scope.delete(
      "/auth/token",
      {
        schema: {
          tags,
          summary: "Log out: revoke the session that makes this call",
          security: bearerSecurity,
          response: { 204: { type: "null", description: "Revoked" }, ...errors(401) },
        },
      },
      async (request, reply) => {
        await sessions.revoke(principalOf(request).tokenHash);
        return reply.code(204).send();
      },
    );
  });
};
