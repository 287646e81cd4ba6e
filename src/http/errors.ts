import type { FastifyError, FastifyInstance } from "fastify";
import { isDatabaseUnavailable } from "../storage/errors.js";

/** An error whose message is meant for the client, with its HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: unknown[],
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown[]) => new HttpError(400, message, details);
export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string) => new HttpError(409, message);

export interface ErrorBody {
  code: number;
  error: string;
  details?: unknown[];
}

/**
 * The single place where a thrown error becomes a response: `{code, error}`
 * for every 4xx/5xx. Client mistakes keep their message; anything else is a
 * 500 whose cause is logged with the request id and never sent.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    const body = toErrorBody(err);
    if (body.code === 503) request.log.warn({ err: err.message }, "database unavailable");
    else if (body.code >= 500) request.log.error({ err }, "request failed");
    else request.log.debug({ err: err.message, code: body.code }, "client error");
    return reply.code(body.code).send(body);
  });
}

function toErrorBody(err: FastifyError | HttpError): ErrorBody {
  if (err instanceof HttpError) {
    return err.details ? { code: err.statusCode, error: err.message, details: err.details } : { code: err.statusCode, error: err.message };
  }
  const fastifyErr = err as FastifyError;
  if (fastifyErr.validation) {
    const details = fastifyErr.validation.map((v) => ({
      location: fastifyErr.validationContext ?? "request",
      path: v.instancePath || "/",
      message: v.message ?? "is invalid",
    }));
    const first = details[0]!;
    const where = first.path === "/" ? first.location : `${first.location}${first.path}`;
    return { code: 400, error: `${where} ${first.message}`, details };
  }
  const status = fastifyErr.statusCode ?? 500;
  if (status >= 400 && status < 500) return { code: status, error: clientMessage(fastifyErr) };
  if (isDatabaseUnavailable(err)) return { code: 503, error: "database unavailable; try again shortly" };
  return { code: 500, error: "internal server error" };
}

// Fastify's own client errors carry readable messages; a few are reworded to
// say what the client should do.
function clientMessage(err: FastifyError): string {
  switch (err.code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return "unsupported content type: send application/json";
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return "request body is larger than the limit (MAX_BODY_BYTES)";
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return "request body is empty but content-type is application/json";
    default:
      return err.message;
  }
}
