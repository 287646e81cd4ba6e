// The session token: in memory, copied to sessionStorage so that a reload of
// the tab keeps the user logged in. Never a cookie: the API reads only the
// Authorization header, so no other site can make the browser send it.
const STORAGE_KEY = "assetport.token";

interface SessionState {
  token: string | null;
  /** Why the last session ended, shown on the login screen. */
  endedBecause: string | null;
}

let state: SessionState = { token: readStored(), endedBecause: null };
const listeners = new Set<() => void>();

function readStored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the token lives in memory only
  }
}

function publish(next: SessionState): void {
  state = next;
  try {
    if (next.token) sessionStorage.setItem(STORAGE_KEY, next.token);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled
  }
  for (const listener of listeners) listener();
}

export function getToken(): string | null {
  return state.token;
}

export function getSession(): SessionState {
  return state;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function startSession(token: string): void {
  publish({ token, endedBecause: null });
}

/** Forgets the token; `reason` is shown on the login screen (null after a log out). */
export function endSession(reason: string | null): void {
  if (state.token === null && reason === state.endedBecause) return;
  publish({ token: null, endedBecause: reason });
}
