import type { FastifyInstance, FastifyRequest } from "fastify";
import { HttpError } from "../http/errors.js";
import type { createSessionsRepository } from "../storage/users.js";
import { hashToken } from "./tokens.js";

export interface Principal {
  tenantId: number;
  userId: number;
  username: string;
  role: string;
  tokenHash: string;
}

// Kept beside the request rather than merged into Fastify's global types.
const principals = new WeakMap<FastifyRequest, Principal>();

export function principalOf(request: FastifyRequest): Principal {
  const principal = principals.get(request);
  if (!principal) throw new Error("route is not behind authentication");
  return principal;
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** Every route registered in `scope` needs a live session token. */
export function requireAuthentication(
  scope: FastifyInstance,
  sessions: ReturnType<typeof createSessionsRepository>,
  now: () => number,
): void {
  // onRequest runs before the body is read, so an anonymous upload is
  // refused without parsing it.
  scope.addHook("onRequest", async (request) => {
    const token = bearerToken(request);
    if (!token) throw new HttpError(401, "missing bearer token: send Authorization: Bearer <token>");
    const tokenHash = hashToken(token);
    const session = await sessions.findLive(tokenHash, now());
    if (!session) throw new HttpError(401, "invalid or expired token");
    principals.set(request, {
      tenantId: session.tenant_id,
      userId: session.user_id,
      username: session.username,
      role: session.role,
      tokenHash,
    });
  });
}
