import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import pino from "pino";
import { expect } from "vitest";
import { loadConfig, type Config } from "../../src/config.js";
import type { ImportWorkerThread } from "../../src/import/worker-host.js";
import { createRuntime } from "../../src/runtime.js";
import { createTestDatabase } from "./database.js";
import type { Services } from "../../src/services.js";

export const ADMIN = { username: "admin", password: "admin-password-1" };

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  worker: ImportWorkerThread;
  dir: string;
  /** A logged-in client of the admin. */
  api: Client;
  close(): Promise<void>;
}

export interface Client {
  token: string;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

/**
 * The real runtime on a database of its own (a SQLite file in a temp
 * directory, or a PostgreSQL schema), bootstrapped, with its import worker
 * not started (ROLE=api unless `env` says otherwise) and nobody logged in.
 */
export async function startRuntime(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "assetport-test-"));
  const database = await createTestDatabase(dir);
  const config: Config = loadConfig({
    DATABASE_URL: database.url,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: "silent",
    // Suites send thousands of requests a minute with one token; the rate
    // limit has its own tests (test/security/transport.test.ts).
    RATE_LIMIT_PER_MINUTE: "0",
    ROLE: "api",
    ...env,
  });
  const runtime = await createRuntime(config, pino({ level: "silent" }));
  await runtime.start();
  return {
    runtime,
    config,
    dir,
    async close() {
      await runtime.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The real app with its import worker running and the admin logged in. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { runtime, dir, close } = await startRuntime({ ROLE: "all", ...env });
  const api = await login(runtime.app, ADMIN.username, ADMIN.password);
  return { app: runtime.app, services: runtime.services, worker: runtime.worker, dir, api, close };
}

export async function login(app: FastifyInstance, username: string, password: string): Promise<Client> {
  const res = await app.inject({ method: "POST", url: "/api/v4/auth/token", payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return client(app, res.json().token);
}

export function client(app: FastifyInstance, token: string): Client {
  const request = (options: InjectOptions) =>
    app.inject({ ...options, headers: { authorization: `Bearer ${token}`, ...options.headers } });
  return {
    token,
    request,
    get: (url) => request({ method: "GET", url }),
    post: (url, body) => request({ method: "POST", url, ...(body === undefined ? {} : { payload: body as object }) }),
    patch: (url, body) => request({ method: "PATCH", url, payload: body as object }),
    delete: (url) => request({ method: "DELETE", url }),
  };
}

/** Polls an import's status until it has ended; the worker runs in this process. */
export async function waitForImport(api: Client, importId: number, timeoutMs = 20_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await api.get(`/api/v4/assets-import/${importId}`)).json();
    if (status.status === "COMPLETED" || status.status === "FAILED" || status.status === "CANCELLED") return status;
    if (Date.now() > deadline) throw new Error(`import ${importId} still ${status.status}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Starts an import and waits for it to end; returns the final status. */
export async function runImport(api: Client, entries: unknown, query = ""): Promise<Record<string, any>> {
  const res = await api.post(`/api/v4/assets-import${query}`, entries);
  if (res.statusCode !== 202) throw new Error(`import refused: ${res.statusCode} ${res.body}`);
  return waitForImport(api, res.json().import_id);
}

export async function fullReport(api: Client, query = ""): Promise<Array<Record<string, unknown>>> {
  const res = await api.get(`/api/v4/assets-import/full-report?limit=1000${query}`);
  if (res.statusCode !== 200) throw new Error(`report: ${res.statusCode} ${res.body}`);
  return res.json().collection;
}

export async function createField(api: Client, field: Record<string, unknown>): Promise<void> {
  const res = await api.post("/api/v4/asset-fields", field);
  if (res.statusCode !== 201) throw new Error(`field ${JSON.stringify(field)}: ${res.statusCode} ${res.body}`);
}

/** Posts a file as the import body with its content type; returns the response. */
export function postFile(api: Client, body: string | Buffer, contentType: string, query = "", headers: Record<string, string> = {}) {
  return api.request({ method: "POST", url: `/api/v4/assets-import${query}`, payload: body, headers: { "content-type": contentType, ...headers } });
}

/** Posts a file, waits for its import to end; returns the final status. */
export async function runFileImport(api: Client, body: string | Buffer, contentType: string, query = ""): Promise<Record<string, any>> {
  const res = await postFile(api, body, contentType, query);
  if (res.statusCode !== 202) throw new Error(`import refused: ${res.statusCode} ${res.body}`);
  return waitForImport(api, res.json().import_id);
}

/** A multipart/form-data body with one file part. */
export function multipartFile(filename: string, contentType: string, content: Buffer | string): { body: Buffer; contentType: string } {
  const boundary = "----assetport-test-boundary";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** An asset as the API returns it; fails the test when there is none. */
export async function getAsset(api: Client, id: string): Promise<Record<string, any>> {
  const res = await api.get(`/api/v4/assets/${encodeURIComponent(id)}`);
  expect(res.statusCode, `asset ${id}`).toBe(200);
  return res.json();
}

/** How many imports the tenant has (a refused upload must not add one). */
export async function importCount(api: Client): Promise<number> {
  return (await api.get("/api/v4/assets-imports")).json().total_count as number;
}
