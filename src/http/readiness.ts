import type { FastifyInstance } from "fastify";
import { HttpError } from "./errors.js";

/**
 * Whether the process has finished starting: migrations run, the first
 * start's tenant and admin created, the import worker (where the role has
 * one) running. Until then /readyz and the API answer 503, so that a script
 * that waits for /readyz and logs in never meets a missing admin.
 */
export interface Readiness {
  readonly ready: boolean;
  markReady(): void;
}

export function createReadiness(): Readiness {
  let ready = false;
  return {
    get ready() {
      return ready;
    },
    markReady() {
      ready = true;
    },
  };
}

/** Seconds a client is told to wait while the service starts. */
export const STARTING_RETRY_AFTER = 1;

export function startingError(): HttpError {
  return new HttpError(503, "the service is starting; try again shortly");
}

/** Every request under `prefix` answers 503 with Retry-After until the service is ready. */
export function registerReadinessGate(app: FastifyInstance, readiness: Readiness, prefix: string): void {
  app.addHook("onRequest", async (request, reply) => {
    if (readiness.ready || !request.url.startsWith(prefix)) return;
    reply.header("retry-after", String(STARTING_RETRY_AFTER));
    throw startingError();
  });
}
