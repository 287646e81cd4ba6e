import { endSession } from "./session";

/** An answer of the API that was not a success, with its `{code, error}` sentence. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
    /** Seconds, from a 429's or 503's Retry-After. */
    readonly retryAfter: number | null = null,
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
  let message: string | null = null;
  try {
    const body: unknown = await response.clone().json();
    if (body && typeof body === "object" && typeof (body as { error?: unknown }).error === "string") message = (body as { error: string }).error;
  } catch {
    // not JSON: a proxy's page, a dropped connection
  }
  return errorFromParts(response.status, message, response.headers.get("retry-after"));
}

export function errorFromParts(status: number, message: string | null, retryAfterHeader: string | null): ApiError {
  const retryAfter = retryAfterHeader !== null && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : null;
  let text = message ?? FALLBACK[status] ?? `The service answered ${status}.`;
  if (retryAfter !== null && (status === 503 || status === 429)) text += ` Try again in ${retryAfter} s.`;
  return new ApiError(sentence(text), status, retryAfter);
}

/** A 401 on a call that carried a token: the session is over. */
export function handleUnauthorized(error: ApiError, hadToken: boolean): void {
  if (error.status === 401 && hadToken) endSession(error.message);
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
