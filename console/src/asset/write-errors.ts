import { ApiError } from "../api/errors";

/**
 * A title that says in words why a write was refused; the API's own sentence
 * goes beneath it (ErrorAlert). A 412 has its own alert (conflict-alert.tsx).
 */
export function refusalTitle(error: unknown, action: string): string {
  if (!(error instanceof ApiError)) return `Could not ${action}`;
  if (error.status === 403) return `Your role does not allow you to ${action}`;
  if (error.status === 404) return "This asset no longer exists";
  if (error.status === 409) return `The asset's state does not allow this: could not ${action}`;
  if (error.status === 400) return `Could not ${action}: the service refused some values`;
  return `Could not ${action}`;
}

export const isStale = (error: unknown) => error instanceof ApiError && error.status === 412;
