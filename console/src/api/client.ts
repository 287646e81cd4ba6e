import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../../../openapi/schema";
import { errorFromResponse, handleUnauthorized } from "./errors";
import { getToken } from "./session";

// The one way the console talks to the API. Types come from openapi/schema.d.ts,
// generated from the service's own schemas (`npm run openapi`), so a call the API
// does not take fails the type check.


const session: Middleware = {
  onRequest({ request }) {
    const token = getToken();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
  async onResponse({ request, response }) {
    if (response.ok) return response;
    const error = await errorFromResponse(response);
    handleUnauthorized(error, request.headers.has("Authorization"));
    throw error;
  },
};

export const api = createClient<paths>({ baseUrl: "" });
api.use(session);

/** The body of a successful answer (errors were thrown by the middleware). */
export async function data<T>(call: Promise<{ data?: T }>): Promise<T> {
  const { data } = await call;
  return data as T;
}

/**
 * fetch with the session's token and the API's errors thrown, for calls
 * openapi-fetch cannot make: streams, downloads, raw bodies.
 */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = getToken();
  if (token) headers.set("Authorization", `Bearer ${token}`);
  const response = await fetch(path, { ...init, headers });
  if (!response.ok) {
    const error = await errorFromResponse(response);
    handleUnauthorized(error, token !== null);
    throw error;
  }
  return response;
}

