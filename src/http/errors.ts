import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isDatabaseUnavailable, isUnstorableText } from "../storage/errors.js";

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

/** Seconds a client is told to wait after a 503 that is not the start's. */
export const UNAVAILABLE_RETRY_AFTER = 5;

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
    if (body.code === 503) {
      // Starting, or the database unreachable: either way, worth a retry soon.
      if (!reply.hasHeader("retry-after")) reply.header("retry-after", String(UNAVAILABLE_RETRY_AFTER));
      request.log.warn({ err: err.message }, "service unavailable");
    } else if (body.code >= 500) request.log.error({ err }, "request failed");
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
    const details = describeValidation(fastifyErr.validation, fastifyErr.validationContext).map(({ path, message }) => ({
      location: fastifyErr.validationContext ?? "request",
      path,
      message,
    }));
    const first = details[0]!;
    const where = first.path === "/" ? first.location : `${first.location}${first.path}`;
    return { code: 400, error: `${where} ${first.message}`, details };
  }
  const status = fastifyErr.statusCode ?? 500;
  if (status >= 400 && status < 500) return { code: status, error: clientMessage(fastifyErr) };
  if (isDatabaseUnavailable(err)) return { code: 503, error: "database unavailable; try again shortly" };
  if (isUnstorableText(err)) return { code: 400, error: "text contains a character that cannot be stored (U+0000)" };
  return { code: 500, error: "internal server error" };
}

type ValidationError = NonNullable<FastifyError["validation"]>[number];

/**
 * One message per failing path; a choice among fixed values (an enum)
 * names them.
 */
function describeValidation(errors: ValidationError[], context: string | undefined): Array<{ path: string; message: string }> {
  const byPath = new Map<string, ValidationError[]>();
  for (const e of errors) byPath.set(e.instancePath || "/", [...(byPath.get(e.instancePath || "/") ?? []), e]);
  return [...byPath].map(([path, list]) => {
    const first = list[0]!;
    if (first.keyword === "enum") return { path, message: `must be one of ${listValues((first.params as { allowedValues: unknown[] }).allowedValues)}` };
    if (first.keyword === "additionalProperties") {
      const name = (first.params as { additionalProperty?: string }).additionalProperty;
      return { path, message: `has unknown property '${name}'` };
    }
    return { path, message: first.message ?? "is invalid" };
  });
}

/** Values as a list; quoted when one of them is punctuation (`',', ';', 'tab', '|'`), which a bare list would blur. */
function listValues(values: unknown[]): string {
  const texts = values.map(String);
  return (texts.some((text) => /\W/.test(text)) ? texts.map((text) => `'${text}'`) : texts).join(", ");
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

/**
 * Errors Fastify raises before routing (a malformed percent-encoding, an
 * over-long path parameter), in the same shape.
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const code = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  void reply.code(code).send({ code, error: err.code === "FST_ERR_BAD_URL" ? "malformed URL: invalid percent-encoding" : err.message });
}

/**
 * Requests Node's HTTP parser refuses (headers too large, malformed
 * request lines) never reach Fastify; answer them in the error shape too.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const [status, reason, message] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "request headers are too large"]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "request timed out"]
        : [400, "Bad Request", "malformed HTTP request"];
  const body = JSON.stringify({ code: status, error: message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Node answers a request whose `Expect` header is not `100-continue` with a
 * bare 417 of its own, before Fastify sees it, unless the server listens
 * for `checkExpectation`: this listener gives that answer the error shape.
 */
export function expectationFailed(request: IncomingMessage, response: ServerResponse): void {
  const body = JSON.stringify({ code: 417, error: `unsupported Expect header '${request.headers.expect}': only 100-continue is understood` });
  response.writeHead(417, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), connection: "close" });
  response.end(body);
}
