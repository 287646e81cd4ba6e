import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { ConfigError, loadConfig } from "../../src/config.js";
import { createServices } from "../../src/services.js";
import { openDatabase } from "../../src/storage/database.js";
import { ADMIN, startRuntime } from "../helpers/app.js";
import { createTestDatabase, useProcessTestDatabase } from "../helpers/database.js";
import { startServer } from "../helpers/process.js";

// What a client sees of the transport: HTTPS from TLS_CERT_FILE/TLS_KEY_FILE,
// REQUIRE_HTTPS, TRUST_PROXY (the client's address and protocol), the rate
// limit and the security headers. Everything here goes over real sockets:
// fastify.inject() neither speaks TLS nor exercises the rate limit as a
// socket does (docs: platform notes), and under REQUIRE_HTTPS an injected
// login would itself be refused.

const CERT = new URL("../fixtures/tls/cert.pem", import.meta.url).pathname;
const KEY = new URL("../fixtures/tls/key.pem", import.meta.url).pathname;
const CA = readFileSync(CERT);

interface Listening {
  /** http://127.0.0.1:<port> or https://localhost:<port> */
  base: string;
  close(): Promise<void>;
}

/**
 * The real app listening on a free port. Unlike startTestApp it logs nobody
 * in (an injected login is plain HTTP) and runs no import worker: these
 * tests import nothing.
 */
async function listen(env: Record<string, string>): Promise<Listening> {
  const { runtime, config, close } = await startRuntime(env);
  await runtime.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = runtime.app.server.address() as { port: number };
  return { base: config.TLS_CERT_FILE ? `https://localhost:${port}` : `http://127.0.0.1:${port}`, close };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): any;
}

/**
 * One request with node:http(s): fetch cannot be given the test CA. HTTPS
 * trusts only the fixture's certificate, so a successful answer also proves
 * the service presented it.
 */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers = { ...(body === undefined ? {} : { "content-type": "application/json" }), ...options.headers };
  const https = url.startsWith("https:");
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(url, { method: options.method ?? "GET", headers, ...(https ? { ca: CA } : {}) }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.end(body);
  });
}

async function loginAt(base: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await send(`${base}/api/v4/auth/token`, { method: "POST", headers, body: ADMIN });
  expect(res.status, res.text).toBe(200);
  return res.json().token as string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function expectError(res: Answer, code: number, message?: RegExp): void {
  expect(res.status, res.text).toBe(code);
  const body = res.json();
  expect(body).toMatchObject({ code, error: expect.any(String) });
  if (message) expect(body.error).toMatch(message);
}

describe("HTTPS with TLS_CERT_FILE and TLS_KEY_FILE (and REQUIRE_HTTPS)", () => {
  let server: Listening;
  beforeAll(async () => {
    server = await listen({ TLS_CERT_FILE: CERT, TLS_KEY_FILE: KEY, REQUIRE_HTTPS: "true" });
  });
  afterAll(() => server?.close());

  it("answers over HTTPS with the configured certificate: a login and the asset list are served", async () => {
    const token = await loginAt(server.base);
    const res = await send(`${server.base}/api/v4/assets`, { headers: bearer(token) });
    expect(res.status, res.text).toBe(200);
    expect(res.json()).toMatchObject({ collection: [], total_count: 0 });
    expect((await send(`${server.base}/healthz`)).status).toBe(200);
  });

  it("gives a plain HTTP request to the same port no API answer", async () => {
    const plain = server.base.replace("https://localhost", "http://127.0.0.1");
    const outcome = await send(`${plain}/api/v4/auth/token`, { method: "POST", body: ADMIN }).catch((err: Error) => err);
    // Node closes the connection; whatever a future version answers, it must not be a login.
    const served = !(outcome instanceof Error) && (outcome.status < 400 || /token/.test(outcome.text));
    expect(served).toBe(false);
  });

  it("sends the security headers on API answers and on error answers", async () => {
    const token = await loginAt(server.base);
    const answers = {
      list: await send(`${server.base}/api/v4/assets`, { headers: bearer(token) }),
      "no token": await send(`${server.base}/api/v4/assets`),
      "unknown path": await send(`${server.base}/api/v4/no-such-thing`, { headers: bearer(token) }),
      "bad body": await send(`${server.base}/api/v4/assets`, { method: "POST", headers: bearer(token), body: { id: "not valid!" } }),
    };
    expect(answers.list.status).toBe(200);
    expectError(answers["no token"], 401);
    expectError(answers["unknown path"], 404);
    expectError(answers["bad body"], 400);
    for (const [name, res] of Object.entries(answers)) {
      expect(res.headers["x-content-type-options"], name).toBe("nosniff");
      expect(res.headers["x-frame-options"], name).toMatch(/^(DENY|SAMEORIGIN)$/);
      expect(res.headers["content-security-policy"], name).toMatch(/frame-ancestors 'none'/);
      expect(res.headers["strict-transport-security"], name).toMatch(/max-age=\d+/);
      // Answers are per user: no shared cache may keep them.
      expect(res.headers["cache-control"], name).toBe("no-store");
    }
  });

  it("still serves the Swagger UI at /docs under its Content-Security-Policy", async () => {
    let res = await send(`${server.base}/docs`);
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 3; hops++) {
      res = await send(new URL(String(res.headers.location), server.base).toString());
    }
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/swagger-ui/i);
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    // script-src 'self' blocks inline scripts: the page must load every script from a file, and those files must be served.
    const scripts = [...res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, content] of scripts) {
      const src = /src="([^"]+)"/.exec(attributes!)?.[1];
      expect(src, `inline script: ${content}`).toBeDefined();
      expect(content!.trim()).toBe("");
      const file = await send(new URL(src!, `${server.base}/docs/`).toString());
      expect(file.status, src).toBe(200);
    }
  });
});

describe("TLS configuration", () => {
  const processDatabase = useProcessTestDatabase("transport");

  it("refuses only one of TLS_CERT_FILE and TLS_KEY_FILE, naming the missing one", () => {
    const base = { DATABASE_URL: "./unused.db" };
    expect(() => loadConfig({ ...base, TLS_CERT_FILE: CERT })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, TLS_CERT_FILE: CERT })).toThrow(/TLS_KEY_FILE/);
    expect(() => loadConfig({ ...base, TLS_KEY_FILE: KEY })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, TLS_KEY_FILE: KEY })).toThrow(/TLS_CERT_FILE/);
    expect(() => loadConfig({ ...base, TLS_CERT_FILE: CERT, TLS_KEY_FILE: KEY })).not.toThrow();
  });

  it("does not build the app from a file it cannot read, naming the variable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "assetport-tls-"));
    const database = await createTestDatabase(dir);
    const opened = await openDatabase(database.url);
    try {
      const missing = join(dir, "missing.pem");
      const withCert = createServices(loadConfig({ DATABASE_URL: database.url, TLS_CERT_FILE: missing, TLS_KEY_FILE: KEY }), opened);
      await expect(buildApp(withCert)).rejects.toThrow(ConfigError);
      await expect(buildApp(withCert)).rejects.toThrow(/TLS_CERT_FILE/);
      const withKey = createServices(loadConfig({ DATABASE_URL: database.url, TLS_CERT_FILE: CERT, TLS_KEY_FILE: missing }), opened);
      await expect(buildApp(withKey)).rejects.toThrow(/TLS_KEY_FILE/);
      // Readable, but the certificate and the key swapped.
      const swapped = createServices(loadConfig({ DATABASE_URL: database.url, TLS_CERT_FILE: KEY, TLS_KEY_FILE: CERT }), opened);
      await expect(buildApp(swapped)).rejects.toThrow(ConfigError);
      await expect(buildApp(swapped)).rejects.toThrow(/TLS_CERT_FILE and TLS_KEY_FILE are not a PEM certificate and its key/);
    } finally {
      await opened.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops the service with one line naming TLS_CERT_FILE, and blames nothing else", async () => {
    const failure = await startServer({ DATABASE_URL: processDatabase.url, TLS_CERT_FILE: "/nonexistent/cert.pem", TLS_KEY_FILE: KEY }).then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(failure).toMatch(/exited \(1\)/);
    expect(failure).toMatch(/TLS_CERT_FILE/);
    // The database opened fine: a message that starts with DATABASE_URL sends the operator to the wrong setting.
    expect(failure).not.toMatch(/DATABASE_URL|cannot open the database/);
  });
});

describe("REQUIRE_HTTPS without a trusted proxy", () => {
  let server: Listening;
  beforeAll(async () => {
    server = await listen({ REQUIRE_HTTPS: "true" });
  });
  afterAll(() => server?.close());

  it("refuses API requests over plain HTTP with 403, the login too, before any credentials are checked", async () => {
    expectError(await send(`${server.base}/api/v4/assets`), 403, /HTTPS/);
    expectError(await send(`${server.base}/api/v4/auth/token`, { method: "POST", body: ADMIN }), 403, /HTTPS/);
    expectError(await send(`${server.base}/openapi.json`), 403, /HTTPS/);
  });

  it("keeps the health probes open on plain HTTP", async () => {
    for (const path of ["/healthz", "/readyz"]) {
      const res = await send(`${server.base}${path}`);
      expect(res.status, `${path}: ${res.text}`).toBe(200);
    }
  });

  it("exempts them by path: with a query string they are not refused for HTTP (only for the unknown parameter)", async () => {
    for (const path of ["/healthz?probe=1", "/readyz?t=1"]) {
      const res = await send(`${server.base}${path}`);
      expectError(res, 400, /^unknown query parameter '(probe|t)': this operation takes no query parameters$/);
    }
  });

  it("does not believe X-Forwarded-Proto from a client it does not trust", async () => {
    const headers = { "x-forwarded-proto": "https" };
    expectError(await send(`${server.base}/api/v4/auth/token`, { method: "POST", headers, body: ADMIN }), 403, /HTTPS/);
    expectError(await send(`${server.base}/api/v4/assets`, { headers }), 403, /HTTPS/);
  });
});

describe("behind a trusted proxy (TRUST_PROXY, REQUIRE_HTTPS, RATE_LIMIT_PER_MINUTE=5)", () => {
  let server: Listening;
  beforeAll(async () => {
    // The test itself plays the proxy, from the loopback address.
    server = await listen({ REQUIRE_HTTPS: "true", TRUST_PROXY: "127.0.0.1", RATE_LIMIT_PER_MINUTE: "5" });
  });
  afterAll(() => server?.close());

  // Each test speaks for clients of its own addresses, so that their allowances never mix.
  const proxied = (address: string, extra: Record<string, string> = {}) => ({
    "x-forwarded-proto": "https",
    "x-forwarded-for": address,
    ...extra,
  });

  describe("HTTPS as the proxy reports it", () => {
    it("serves a request the proxy marks X-Forwarded-Proto: https", async () => {
      const token = await loginAt(server.base, proxied("192.0.2.1"));
      const res = await send(`${server.base}/api/v4/assets`, { headers: proxied("192.0.2.1", bearer(token)) });
      expect(res.status, res.text).toBe(200);
    });

    it("refuses one that came over plain HTTP and does nothing of it", async () => {
      const token = await loginAt(server.base, proxied("192.0.2.2"));
      const asset = { id: "sent-in-clear", name: "Sent in clear text" };
      const headers = { ...bearer(token), "x-forwarded-for": "192.0.2.2" };
      expectError(await send(`${server.base}/api/v4/assets`, { method: "POST", headers, body: asset }), 403, /HTTPS/);
      expectError(await send(`${server.base}/api/v4/assets`, { method: "POST", headers: { ...headers, "x-forwarded-proto": "http" }, body: asset }), 403, /HTTPS/);
      expectError(await send(`${server.base}/api/v4/assets/sent-in-clear`, { headers: proxied("192.0.2.2", bearer(token)) }), 404);
      const created = await send(`${server.base}/api/v4/assets`, { method: "POST", headers: proxied("192.0.2.2", bearer(token)), body: asset });
      expect(created.status, created.text).toBe(201);
    });
  });

  it("records the X-Forwarded-For address of a failed login in the audit log", async () => {
    const failed = await send(`${server.base}/api/v4/auth/token`, {
      method: "POST",
      headers: proxied("203.0.113.7"),
      body: { username: ADMIN.username, password: "not-the-password" },
    });
    expectError(failed, 400);
    const token = await loginAt(server.base, proxied("192.0.2.3"));
    const events = await send(`${server.base}/api/v4/audit-events?event=login_failed`, { headers: proxied("192.0.2.3", bearer(token)) });
    expect(events.status, events.text).toBe(200);
    expect(events.json().collection).toContainEqual(expect.objectContaining({ event: "login_failed", target: ADMIN.username, ip: "203.0.113.7" }));
  });

  it("takes the address the trusted proxy saw, not one the client wrote in front of it", async () => {
    // A client sends X-Forwarded-For itself; the proxy appends the address it saw.
    for (let attempt = 0; attempt < 3; attempt++) {
      const failed = await send(`${server.base}/api/v4/auth/token`, {
        method: "POST",
        headers: proxied(`10.9.${attempt}.1, 203.0.113.99`),
        body: { username: "someone", password: "not-the-password" },
      });
      expectError(failed, 400);
    }
    const token = await loginAt(server.base, proxied("192.0.2.4"));
    const events = await send(`${server.base}/api/v4/audit-events?event=login_failed&limit=1000`, { headers: proxied("192.0.2.4", bearer(token)) });
    const addresses = events.json().collection.filter((e: { target: string }) => e.target === "someone").map((e: { ip: string }) => e.ip);
    expect(addresses).toEqual(["203.0.113.99", "203.0.113.99", "203.0.113.99"]);
  });

  describe("rate limit", () => {
    const assets = (headers: Record<string, string>, path = "/api/v4/assets") => send(`${server.base}${path}`, { headers });

    it("lets 5 calls a minute through with one token; the 6th is 429 with Retry-After", async () => {
      const token = await loginAt(server.base, proxied("198.51.100.1"));
      for (let call = 1; call <= 5; call++) expect((await assets(proxied("198.51.100.1", bearer(token)))).status, `call ${call}`).toBe(200);
      const limited = await assets(proxied("198.51.100.1", bearer(token)));
      expectError(limited, 429, /rate limit/);
      const retryAfter = Number(limited.headers["retry-after"]);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    });

    it("counts each token on its own: a new login of the same user is served while the old token is limited", async () => {
      const first = await loginAt(server.base, proxied("198.51.100.2"));
      for (let call = 1; call <= 5; call++) await assets(proxied("198.51.100.2", bearer(first)));
      expectError(await assets(proxied("198.51.100.2", bearer(first))), 429);
      const second = await loginAt(server.base, proxied("198.51.100.2"));
      expect((await assets(proxied("198.51.100.2", bearer(second)))).status).toBe(200);
      expectError(await assets(proxied("198.51.100.2", bearer(first))), 429);
    });

    // A login is a call without a token; a body the schema refuses keeps the test from spending a password hash per call.
    const anonymousLogin = (address: string) => send(`${server.base}/api/v4/auth/token`, { method: "POST", headers: proxied(address), body: {} });

    it("limits logins per address", async () => {
      for (let call = 1; call <= 5; call++) expectError(await anonymousLogin("198.51.100.3"), 400);
      expectError(await anonymousLogin("198.51.100.3"), 429, /rate limit/);
      expectError(await send(`${server.base}/api/v4/auth/token`, { method: "POST", headers: proxied("198.51.100.3"), body: ADMIN }), 429);
      // Another address has its own allowance.
      expectError(await anonymousLogin("198.51.100.4"), 400);
    });

    it("limits calls without a token per address, also where the answer is 401", async () => {
      const statuses: number[] = [];
      for (let call = 1; call <= 6; call++) statuses.push((await assets(proxied("198.51.100.8"))).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      expectError(await assets(proxied("198.51.100.9")), 401);
    });

    it("does not let a client escape the per-address limit by inventing a token for each call", async () => {
      const invented = () => bearer(randomBytes(24).toString("base64url"));
      const statuses: number[] = [];
      for (let call = 1; call <= 6; call++) statuses.push((await assets(proxied("198.51.100.5", invented()))).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    });

    it("counts a path however it is spelt: percent-escapes do not bypass the limit", async () => {
      const token = await loginAt(server.base, proxied("198.51.100.6"));
      const statuses: number[] = [];
      for (let call = 1; call <= 6; call++) statuses.push((await assets(proxied("198.51.100.6", bearer(token)), "/%61pi/v4/assets")).status);
      // Served like /api/v4/assets (or refused as not found), but the 6th call is over the limit either way.
      expect(statuses.slice(0, 5).every((status) => status === 200 || status === 404), String(statuses)).toBe(true);
      expect(statuses[5], `statuses of GET /%61pi/v4/assets: ${statuses}`).not.toBe(200);
    });

    it("never limits the health probes", async () => {
      for (let call = 1; call <= 6; call++) await anonymousLogin("198.51.100.7");
      expectError(await anonymousLogin("198.51.100.7"), 429);
      for (let call = 1; call <= 10; call++) {
        expect((await send(`${server.base}/healthz`, { headers: proxied("198.51.100.7") })).status).toBe(200);
        expect((await send(`${server.base}/readyz`, { headers: proxied("198.51.100.7") })).status).toBe(200);
      }
    });
  });
});

describe("clients connecting directly (TRUST_PROXY off, RATE_LIMIT_PER_MINUTE=5)", () => {
  let server: Listening;
  beforeAll(async () => {
    server = await listen({ RATE_LIMIT_PER_MINUTE: "5" });
  });
  afterAll(() => server?.close());

  it("records the socket's address of a failed login, whatever X-Forwarded-For claims", async () => {
    const failed = await send(`${server.base}/api/v4/auth/token`, {
      method: "POST",
      headers: { "x-forwarded-for": "203.0.113.8" },
      body: { username: ADMIN.username, password: "not-the-password" },
    });
    expectError(failed, 400);
    const token = await loginAt(server.base);
    const events = await send(`${server.base}/api/v4/audit-events?event=login_failed`, { headers: bearer(token) });
    const failures = events.json().collection as Array<{ ip: string }>;
    expect(failures.length).toBeGreaterThan(0);
    for (const event of failures) expect(event).toMatchObject({ event: "login_failed", target: ADMIN.username, ip: "127.0.0.1" });
  });

  it("does not give a fresh allowance to each X-Forwarded-For a client makes up", async () => {
    // Other tests of this server have spent some of this address's 5 calls: a 429 comes within 6 calls at the latest.
    const statuses: number[] = [];
    for (let call = 1; call <= 6 && !statuses.includes(429); call++) {
      const headers = { "x-forwarded-for": `203.0.113.${100 + call}` };
      statuses.push((await send(`${server.base}/api/v4/auth/token`, { method: "POST", headers, body: {} })).status);
    }
    expect(statuses.at(-1)).toBe(429);
  });
});
