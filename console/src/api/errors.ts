import { endSession } from "./session";

/** An answer of the API that was not a success, with its `{code, error}` sentence. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
    /** Seconds, from a 429's or 503's Retry-After. */
    readonly retryAfter: number | null = null,
    /** The answer's `details`, as sentences (an import refused by its sample names the first reasons). */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

const FALLBACK: Record<number, string> = {
  401: "Your session has ended. Log in again.",
  403: "Your role does not allow this.",
  404: "Not found.",
  413: "The file is too large for this service.",
  429: "Too many requests. Wait a moment and try again.",
  503: "The service is not ready. Try again in a moment.",
};

/** Reads the error sentence of a failed answer (the API's `{code, error}`, else a plain one). */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.clone().json();
  } catch {
    // not JSON: a proxy's page, a dropped connection
  }
  return errorFromBody(response.status, body, response.headers.get("retry-after"));
}

/** The error of an answer from its parsed JSON body (null when it had none). */
export function errorFromBody(status: number, body: unknown, retryAfterHeader: string | null): ApiError {
  const fields = body && typeof body === "object" ? (body as { error?: unknown; details?: unknown }) : {};
  const message = typeof fields.error === "string" ? fields.error : null;
  const details = Array.isArray(fields.details) ? fields.details.slice(0, 10).map(detailText) : [];
  return errorFromParts(status, message, retryAfterHeader, details);
}

function detailText(detail: unknown): string {
  if (typeof detail === "string") return detail;
  if (detail && typeof detail === "object") {
    const { message, error } = detail as { message?: unknown; error?: unknown };
    if (typeof message === "string") return message;
    if (typeof error === "string") return error;
  }
  return JSON.stringify(detail);
}

export function errorFromParts(status: number, message: string | null, retryAfterHeader: string | null, details: string[] = []): ApiError {
  const retryAfter = retryAfterHeader !== null && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : null;
  let text = message ?? FALLBACK[status] ?? `The service answered ${status}.`;
  // The wait, unless the service's sentence says it already ("too many failed logins: try again in 840 seconds").
  if (retryAfter !== null && (status === 503 || status === 429) && !/try again in/i.test(text)) text = `${sentence(text)} Try again in ${retryAfter} s.`;
  return new ApiError(sentence(text), status, retryAfter, details);
}

/** A 401 on a call that carried a token: the session is over. */
export function handleUnauthorized(error: ApiError, hadToken: boolean): void {
  if (error.status === 401 && hadToken) endSession(error.message);
}

/** Whether asking again may help: a dropped connection, a 429 or a 5xx; not a refusal (4xx). */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status === 429 || error.status >= 500;
}

/** The words to show for anything thrown. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return "The service cannot be reached. Check the connection and try again.";
  if (error instanceof Error) return sentence(error.message);
  return "Something went wrong.";
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return "Something went wrong.";
  const first = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
