import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { HttpError } from "./errors.js";

/** Counts one request against `key`; throws 429 (with Retry-After) past the limit. */
export type RequestLimiter = (request: FastifyRequest, reply: FastifyReply, key: string) => Promise<void>;

/**
 * Requests per minute per key, counted in this process by @fastify/rate-limit.
 * The limiter is called by authentication rather than hooked to routes: it
 * then counts a request by its token once the token is known to be valid,
 * and by its client address otherwise (no token, a made-up token, a login),
 * so inventing tokens gains no fresh allowance, and a refused request counts
 * as much as a served one. Keys hold token hashes, never secrets.
 */
export async function registerRateLimit(app: FastifyInstance, perMinute: number): Promise<RequestLimiter> {
  if (perMinute === 0) return async () => {};
  await app.register(rateLimit, {
    global: false,
    max: perMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, `rate limit exceeded: at most ${context.max} requests per minute; try again in ${Math.ceil(context.ttl / 1000)} seconds`),
  });
  const keys = new WeakMap<FastifyRequest, string>();
  const handler = app.rateLimit({ keyGenerator: (request) => keys.get(request)! });
  return async (request, reply, key) => {
    keys.set(request, key);
    await handler.call(app, request, reply);
  };
}
