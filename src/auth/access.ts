import type { FastifyInstance, RouteOptions } from "fastify";
import { HttpError } from "../http/errors.js";
import { bearerSecurity, errorRef } from "../schemas/common.js";
import { atLeast, type Role } from "./roles.js";
import type { Principal } from "./authenticate.js";

/**
 * Who may call a route: a role of the caller's tenant (each role includes
 * the ones below it), or `system` for a system administrator. Routes that
 * manage credentials (users, API keys, passwords, tenants) are `sessionOnly`:
 * an API key cannot mint credentials that would outlive its own revocation.
 */
export interface Access {
  role: Role | "system";
  sessionOnly?: boolean;
}

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** Refuses a principal the route's access does not admit (403, in the error shape). */
export function authorize(principal: Principal, access: Access): void {
  if (access.sessionOnly && principal.apiKeyId !== null) {
    throw new HttpError(403, "API keys cannot manage users, API keys, passwords or tenants: log in with a password for this");
  }
  if (access.role === "system") {
    if (!principal.systemAdmin) throw new HttpError(403, "only a system administrator may do this");
  } else if (!atLeast(principal.role, access.role)) {
    throw new HttpError(403, `this needs the role '${access.role}' or higher; yours is '${principal.role}'`);
  }
}

export function describeAccess(access: Access): string {
  const who = access.role === "system" ? "a system administrator" : access.role === "viewer" ? "any role" : access.role === "editor" ? "editor or admin" : "admin";
  return `Access: ${who}${access.sessionOnly ? ", with a session token (not an API key)" : ""}.`;
}

/**
 * Every route in `scope` must declare its access: a route added without one
 * fails the start instead of being open to every role. The OpenAPI document
 * shows the rule and the 400 (when there is input), 401, 403, 429 and 503
 * (starting, or the database unreachable) answers.
 */
export function requireDeclaredAccess(scope: FastifyInstance): void {
  scope.addHook("onRoute", (route: RouteOptions) => {
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access`);
    const schema = (route.schema ??= {}) as Record<string, unknown>;
    schema.description = [schema.description, describeAccess(access)].filter(Boolean).join("\n\n");
    schema.security ??= bearerSecurity;
    const response = (schema.response ??= {}) as Record<string, unknown>;
    if (schema.body || schema.querystring || schema.params) response[400] ??= errorRef;
    response[401] ??= errorRef;
    response[403] ??= errorRef;
    response[429] ??= errorRef;
    response[503] ??= errorRef;
  });
}
