import { ApiError } from "../api/errors";
import { ErrorAlert } from "../ui/error-alert";

/**
 * The API's sentence under a title that says what kind of refusal it was, so
 * that a 403 or a 409 reads as an explanation and not as a failure.
 */
export function AdminError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return <ErrorAlert error={error} title={titleOf(error)} {...(onRetry ? { onRetry } : {})} />;
}

function titleOf(error: unknown): string {
  if (!(error instanceof ApiError)) return "That did not work";
  if (error.status === 400) return "The service did not accept this";
  if (error.status === 403) return "Your role does not allow this";
  if (error.status === 404) return "It is no longer there";
  if (error.status === 409) return "Not possible in the registry's current state";
  return "That did not work";
}
