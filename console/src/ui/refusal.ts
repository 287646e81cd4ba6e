import { ApiError } from "../api/errors";

/**
 * A title that says in words what kind of refusal an answer was, so that a
 * 403 or a 409 reads as an explanation and not as a failure; the API's own
 * sentence goes beneath it (ErrorAlert). `action` ("delete the asset") names
 * what was tried, where the screen knows it.
 */
export function refusalTitle(error: unknown, action?: string): string {
  const failed = action ? `Could not ${action}` : "That did not work";
  if (!(error instanceof ApiError)) return failed;
  switch (error.status) {
    case 400:
      return action ? `${failed}: the service refused some values` : "The service did not accept this";
    case 403:
      return action ? `Your role does not allow you to ${action}` : "Your role does not allow this";
    case 404:
      return "It is no longer there";
    case 409:
      return action ? `Not possible in the registry's current state: could not ${action}` : "Not possible in the registry's current state";
    default:
      return failed;
  }
}

/** A 412: the write was based on a version someone else has since replaced. */
export const isStale = (error: unknown) => error instanceof ApiError && error.status === 412;
