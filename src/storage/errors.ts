// The one place that tells a database outage from other errors. An outage
// is answered with 503 and retried by the worker; it is not the client's
// mistake, nor a bug.

// PostgreSQL SQLSTATEs: class 08 (connection exception), and the server
// shutting down or not yet accepting connections.
const UNAVAILABLE_CODES = new Set(["57P01", "57P02", "57P03", "53300"]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
const MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i, /database is locked/i];

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (code.startsWith("08") || UNAVAILABLE_CODES.has(code) || NETWORK_CODES.has(code))) return true;
    if (MESSAGES.some((m) => m.test(e instanceof Error ? e.message : ""))) return true;
  }
  return false;
}

/**
 * Text the database refuses to store or compare (PostgreSQL: U+0000, or bytes
 * invalid in the encoding), reached through a path or query parameter. It is
 * the client's input, so a 400, not a 500.
 */
export function isUnstorableText(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === "22021" || code === "22P05";
}

/** A unique or primary key constraint refused the write. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}
