import type { FastifyInstance, FastifyRequest } from "fastify";
import { HttpError } from "../http/errors.js";
import { clientKey } from "../http/client-address.js";
import type { RequestLimiter } from "../http/rate-limit.js";
import type { Services } from "../services.js";
import { tenantStore, type TenantStore } from "../storage/tenant-store.js";
import { authorize, requireDeclaredAccess } from "./access.js";
import { lowerRole } from "./roles.js";
import { API_KEY_PREFIX, hashToken } from "./tokens.js";

export interface Principal {
  tenantId: number;
  userId: number;
  username: string;
  /** The role the request acts with: an API key's is capped by its creator's current role. */
  role: string;
  systemAdmin: boolean;
  tokenHash: string;
  apiKeyId: number | null;
  /** Recorded as created_by, updated_by and in history: the username, and the key when one was used. */
  actor: string;
}

// Kept beside the request rather than merged into Fastify's global types.
const principals = new WeakMap<FastifyRequest, { principal: Principal; store: TenantStore }>();

function authenticated(request: FastifyRequest) {
  const found = principals.get(request);
  if (!found) throw new Error("route is not behind authentication");
  return found;
}

export function principalOf(request: FastifyRequest): Principal {
  return authenticated(request).principal;
}

/** The caller's tenant's repositories: the only storage a tenant route reaches. */
export function storeOf(request: FastifyRequest): TenantStore {
  return authenticated(request).store;
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * Every route registered in `scope` needs a live session token or API key,
 * and declares the access it needs (auth/access.ts).
 */
export function requireAuthentication(scope: FastifyInstance, services: Services, limit: RequestLimiter): void {
  requireDeclaredAccess(scope);
  // One store per tenant, made on its first request: binding is not per-request work.
  const stores = new Map<number, TenantStore>();
  const storeFor = (tenantId: number) => {
    let store = stores.get(tenantId);
    if (!store) stores.set(tenantId, (store = tenantStore(services, tenantId)));
    return store;
  };
  // onRequest runs before the body is read, so an anonymous or unauthorised
  // upload is refused without parsing it.
  scope.addHook("onRequest", async (request, reply) => {
    const token = bearerToken(request);
    const principal = token === undefined ? undefined : await resolve(services, token);
    // A valid token is limited on its own; anything else by the address it came from.
    await limit(request, reply, principal ? `token:${principal.tokenHash}` : `address:${clientKey(request.ip)}`);
    // RFC 6750: a 401 names the scheme, and says when the token was the problem.
    if (!token) {
      reply.header("www-authenticate", "Bearer");
      throw new HttpError(401, "missing bearer token: send Authorization: Bearer <token>");
    }
    if (!principal) {
      reply.header("www-authenticate", 'Bearer error="invalid_token"');
      throw new HttpError(401, "invalid or expired token");
    }
    principals.set(request, { principal, store: storeFor(principal.tenantId) });
    authorize(principal, request.routeOptions.config.access!);
  });
}

async function resolve(services: Services, token: string): Promise<Principal | undefined> {
  const now = services.now();
  const tokenHash = hashToken(token);
  if (!token.startsWith(API_KEY_PREFIX)) {
    const session = await services.sessions.findLive(tokenHash, now);
    if (!session) return undefined;
    return {
      tenantId: session.tenant_id,
      userId: session.user_id,
      username: session.username,
      role: session.role,
      systemAdmin: session.system_admin === 1,
      tokenHash,
      apiKeyId: null,
      actor: session.username,
    };
  }
  const key = await services.apiKeys.findLive(tokenHash, now);
  if (!key) return undefined;
  await services.apiKeys.touch(key.id, key.last_used_at, now);
  return {
    tenantId: key.tenant_id,
    userId: key.user_id,
    username: key.username,
    role: lowerRole(key.key_role, key.user_role),
    // A key never carries system administration: tenants are managed in person.
    systemAdmin: false,
    tokenHash,
    apiKeyId: key.id,
    actor: `${key.username} (API key ${key.name})`,
  };
}
