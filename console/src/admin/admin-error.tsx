import { ErrorAlert } from "../ui/error-alert";
import { refusalTitle } from "../ui/refusal";

/**
 * The API's sentence under a title that says what kind of refusal it was, so
 * that a 403 or a 409 reads as an explanation and not as a failure.
 */
export function AdminError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return <ErrorAlert error={error} title={refusalTitle(error)} {...(onRetry ? { onRetry } : {})} />;
}
