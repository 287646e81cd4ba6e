import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, client, login, startTestApp, type Client, type TestApp } from "../helpers/app.js";

const ROLES = ["viewer", "editor", "admin"] as const;
type Role = (typeof ROLES)[number];

interface MatrixRow {
  method: string;
  path: string;
  least: Role | "system";
  withKey: boolean;
}

/** The permission matrix as the README states it. */
function readmeMatrix(): MatrixRow[] {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Access control"), readme.indexOf("## Decisions"));
  return [...section.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) (\/api\/v4\/[^`]*)` \| (\w+)[^|]* \| (yes|no)[^|]* \|$/gm)].map((m) => ({
    method: m[1]!,
    path: m[2]!,
    least: m[3] as Role | "system",
    withKey: m[4] === "yes",
  }));
}

const rank = (role: Role | "system") => (role === "system" ? 3 : ROLES.indexOf(role));

// Path parameters name nothing that exists: an allowed call then ends in
// 400 or 404 and changes nothing, while a refused one is 403 before that.
const PARAMS: Record<string, string> = { id: "no-such-asset", name: "no-such-field", import_id: "999999", user_id: "999999", key_id: "999999" };

describe("access control", () => {
  let t: TestApp;
  const users: Record<Role, Client> = {} as never;
  const keys: Record<Role, Client> = {} as never;

  const createUser = async (username: string, role: Role, password = `${username}-password`) => {
    const res = await t.api.post("/api/v4/users", { username, password, role });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; username: string; role: Role };
  };
  const createKey = async (as: Client, body: Record<string, unknown>) => {
    const res = await as.post("/api/v4/api-keys", body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; key: string; role: Role; prefix: string; last_used_at: string | null };
  };

  beforeAll(async () => {
    t = await startTestApp();
    for (const role of ROLES) {
      await createUser(`${role}-user`, role);
      users[role] = await login(t.app, `${role}-user`, `${role}-user-password`);
      keys[role] = client(t.app, (await createKey(users[role], { name: `${role} key` })).key);
    }
  });
  afterAll(() => t.close());

  it("the README's matrix lists every authenticated operation of the OpenAPI document, once", async () => {
    const doc = (await t.app.inject("/openapi.json")).json() as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/api/v4/"))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .filter((op) => op !== "POST /api/v4/auth/token");
    const documented = readmeMatrix().map((row) => `${row.method} ${row.path}`);
    expect(documented.sort()).toEqual(operations.sort());
  });

  it("every operation admits exactly the roles the README names, for sessions and API keys", async () => {
    const matrix = readmeMatrix().filter((row) => !(row.method === "DELETE" && row.path === "/api/v4/auth/token"));
    expect(matrix.length).toBeGreaterThan(30);
    const refusedAs: string[] = [];
    const admittedAs: string[] = [];
    for (const row of matrix) {
      const url = row.path.replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? "x");
      for (const role of ROLES) {
        for (const [via, caller] of [["session", users[role]], ["key", keys[role]]] as const) {
          const res = await caller.request({ method: row.method as never, url, payload: {} });
          const allowed = rank(role) >= rank(row.least) && (via === "session" || row.withKey);
          const label = `${row.method} ${row.path} as ${role} ${via}: ${res.statusCode} ${res.body.slice(0, 120)}`;
          expect(res.statusCode, label).not.toBe(401);
          if (allowed) {
            expect(res.statusCode, label).not.toBe(403);
            admittedAs.push(label);
          } else {
            expect(res.statusCode, label).toBe(403);
            expect(res.json(), label).toEqual({ code: 403, error: expect.stringMatching(/role|API keys|system administrator/) });
            refusedAs.push(label);
          }
        }
      }
    }
    // The walk refused and admitted many calls: it is not vacuous either way.
    expect(refusedAs.length).toBeGreaterThan(40);
    expect(admittedAs.length).toBeGreaterThan(80);
  });

  it("a system administrator may create tenants; a tenant's admin may not", async () => {
    const res = await t.api.get("/api/v4/tenants");
    expect(res.statusCode).toBe(200);
    expect(res.json().collection.map((tenant: { slug: string }) => tenant.slug)).toContain("default");
    expect((await users.admin.get("/api/v4/tenants")).statusCode).toBe(403);
  });

  it("answers 401 without a token, with a bad one, and with a revoked key", async () => {
    expect((await t.app.inject("/api/v4/assets")).statusCode).toBe(401);
    expect((await client(t.app, "not-a-token").get("/api/v4/assets")).statusCode).toBe(401);
    expect((await client(t.app, "apk_not-a-key").get("/api/v4/assets")).statusCode).toBe(401);
    const key = await createKey(t.api, { name: "short-lived" });
    expect((await client(t.app, key.key).get("/api/v4/assets")).statusCode).toBe(200);
    expect((await t.api.delete(`/api/v4/api-keys/${key.id}`)).statusCode).toBe(204);
    const after = await client(t.app, key.key).get("/api/v4/assets");
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({ code: 401, error: "invalid or expired token" });
  });
});

describe("users", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const newUser = async (username: string, role: string) => {
    const res = await t.api.post("/api/v4/users", { username, password: "first-password", role, full_name: "A. Person" });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number };
  };
  const loginRes = (username: string, password: string) => t.app.inject({ method: "POST", url: "/api/v4/auth/token", payload: { username, password } });

  it("are created, listed and read by admins, without secrets", async () => {
    const { id } = await newUser("dana", "editor");
    const one = await t.api.get(`/api/v4/users/${id}`);
    expect(one.json()).toMatchObject({ id, username: "dana", role: "editor", full_name: "A. Person", disabled: false, system_admin: false, last_login_at: null });
    const list = await t.api.get("/api/v4/users?limit=1000");
    expect(list.json().collection.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(["admin", "dana"]));
    expect(list.body).not.toMatch(/password|scrypt/);
    expect((await login(t.app, "dana", "first-password")).token).toBeTruthy();
  });

  it("refuses a taken username, an unknown role, a short password and an unknown user", async () => {
    await newUser("erin", "viewer");
    const taken = await t.api.post("/api/v4/users", { username: "erin", password: "another-password", role: "viewer" });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toEqual({ code: 409, error: "the username 'erin' is taken" });
    expect((await t.api.post("/api/v4/users", { username: "fay", password: "another-password", role: "owner" })).statusCode).toBe(400);
    expect((await t.api.post("/api/v4/users", { username: "fay", password: "short", role: "viewer" })).statusCode).toBe(400);
    expect((await t.api.get("/api/v4/users/424242")).json()).toEqual({ code: 404, error: "user 424242 not found" });
    expect((await t.api.patch("/api/v4/users/424242", { role: "viewer" })).statusCode).toBe(404);
  });

  it("a role change applies to the user's next request with the same session", async () => {
    const { id } = await newUser("gus", "editor");
    const gus = await login(t.app, "gus", "first-password");
    expect((await gus.post("/api/v4/assets", { id: "gus-1", name: "One" })).statusCode).toBe(201);
    expect((await t.api.patch(`/api/v4/users/${id}`, { role: "viewer" })).json()).toMatchObject({ role: "viewer" });
    expect((await gus.post("/api/v4/assets", { id: "gus-2", name: "Two" })).statusCode).toBe(403);
    expect((await gus.get("/api/v4/assets/gus-1")).statusCode).toBe(200);
  });

  it("disabling ends the user's sessions and stops their API keys until enabled again", async () => {
    const { id } = await newUser("hal", "editor");
    const hal = await login(t.app, "hal", "first-password");
    const key = client(t.app, (await hal.post("/api/v4/api-keys", { name: "hal's" })).json().key);
    expect((await key.get("/api/v4/assets")).statusCode).toBe(200);

    expect((await t.api.patch(`/api/v4/users/${id}`, { disabled: true })).json()).toMatchObject({ disabled: true });
    expect((await hal.get("/api/v4/assets")).statusCode).toBe(401);
    expect((await key.get("/api/v4/assets")).statusCode).toBe(401);
    const refused = await loginRes("hal", "first-password");
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({ code: 400, error: "invalid credentials" });

    await t.api.patch(`/api/v4/users/${id}`, { disabled: false });
    expect((await key.get("/api/v4/assets")).statusCode).toBe(200);
    expect((await hal.get("/api/v4/assets")).statusCode).toBe(401);
  });

  it("an admin's password reset ends all the user's sessions", async () => {
    const { id } = await newUser("ida", "viewer");
    const ida = await login(t.app, "ida", "first-password");
    expect((await t.api.post(`/api/v4/users/${id}/password`, { password: "reset-password" })).statusCode).toBe(204);
    expect((await ida.get("/api/v4/assets")).statusCode).toBe(401);
    expect((await loginRes("ida", "first-password")).statusCode).toBe(400);
    expect((await loginRes("ida", "reset-password")).statusCode).toBe(200);
  });

  it("a user changes their own password with the current one; other sessions end, this one stays", async () => {
    await newUser("jo", "viewer");
    const here = await login(t.app, "jo", "first-password");
    const elsewhere = await login(t.app, "jo", "first-password");
    const wrong = await here.request({ method: "PUT", url: "/api/v4/users/me/password", payload: { current_password: "nope", new_password: "second-password" } });
    expect(wrong.json()).toEqual({ code: 400, error: "current_password is wrong" });
    expect((await elsewhere.get("/api/v4/assets")).statusCode).toBe(200);

    const changed = await here.request({ method: "PUT", url: "/api/v4/users/me/password", payload: { current_password: "first-password", new_password: "second-password" } });
    expect(changed.statusCode).toBe(204);
    expect((await here.get("/api/v4/users/me")).json()).toMatchObject({ username: "jo" });
    expect((await elsewhere.get("/api/v4/assets")).statusCode).toBe(401);
    expect((await loginRes("jo", "first-password")).statusCode).toBe(400);
    expect((await loginRes("jo", "second-password")).statusCode).toBe(200);
  });

  it("only a system administrator may change, reset or disable a system administrator", async () => {
    const samId = (await newUser("sam", "admin")).id;
    const sam = await login(t.app, "sam", "first-password");
    const sysadmin = (await t.api.get("/api/v4/users/me")).json() as { id: number; system_admin: boolean };
    expect(sysadmin.system_admin).toBe(true);
    for (const res of [
      await sam.post(`/api/v4/users/${sysadmin.id}/password`, { password: "taken-over-1" }),
      await sam.patch(`/api/v4/users/${sysadmin.id}`, { disabled: true }),
      await sam.patch(`/api/v4/users/${sysadmin.id}`, { role: "viewer" }),
    ]) {
      expect(res.json()).toEqual({ code: 403, error: "only a system administrator may change a system administrator" });
    }
    expect((await t.api.get("/api/v4/users/me")).json()).toMatchObject({ role: "admin", disabled: false });
    expect((await loginRes(ADMIN.username, ADMIN.password)).statusCode).toBe(200);
    // The system administrator may change a tenant admin, and leaves the tenant with one admin again.
    expect((await t.api.patch(`/api/v4/users/${samId}`, { disabled: true })).statusCode).toBe(200);
  });

  it("an admin's password reset also deletes the user's API keys", async () => {
    const { id } = await newUser("una", "editor");
    const una = await login(t.app, "una", "first-password");
    const key = client(t.app, (await una.post("/api/v4/api-keys", { name: "una's" })).json().key);
    expect((await key.get("/api/v4/assets")).statusCode).toBe(200);
    await t.api.post(`/api/v4/users/${id}/password`, { password: "reset-password" });
    expect((await key.get("/api/v4/assets")).statusCode).toBe(401);
    const reset = (await t.api.get("/api/v4/audit-events?event=password_reset")).json().collection[0];
    expect(reset).toMatchObject({ target: "una", details: { api_keys_deleted: 1 } });
  });

  it("a tenant keeps at least one enabled admin", async () => {
    const me = (await t.api.get("/api/v4/users/me")).json() as { id: number };
    for (const change of [{ role: "editor" }, { disabled: true }]) {
      const res = await t.api.patch(`/api/v4/users/${me.id}`, change);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatch(/without an enabled admin/);
    }
    expect((await t.api.get("/api/v4/users/me")).json()).toMatchObject({ role: "admin", disabled: false });
    // With a second admin, the first may step down.
    const { id } = await newUser("kim", "admin");
    expect((await t.api.patch(`/api/v4/users/${me.id}`, { role: "editor" })).json()).toMatchObject({ role: "editor" });
    const kim = await login(t.app, "kim", "first-password");
    expect((await kim.patch(`/api/v4/users/${me.id}`, { role: "admin" })).json()).toMatchObject({ role: "admin" });
    expect((await kim.patch(`/api/v4/users/${id}`, { disabled: true })).statusCode).toBe(200);
  });
});

describe("API keys", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("show the secret once, store only its hash, and act as the creator", async () => {
    const created = await t.api.post("/api/v4/api-keys", { name: "nightly ERP sync" });
    expect(created.statusCode).toBe(201);
    const key = created.json();
    expect(key).toMatchObject({ name: "nightly ERP sync", role: "admin", created_by: ADMIN.username, expires_at: null, last_used_at: null });
    expect(key.key).toMatch(/^apk_[A-Za-z0-9_-]{43}$/);
    expect(key.key.startsWith(key.prefix)).toBe(true);

    const stored = await t.services.database.db.selectFrom("api_keys").selectAll().where("id", "=", key.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(createHash("sha256").update(key.key).digest("hex"));
    expect(JSON.stringify(stored)).not.toContain(key.key);
    const listed = await t.api.get("/api/v4/api-keys");
    expect(listed.body).not.toContain(key.key);
    expect(listed.json().collection).toEqual([expect.objectContaining({ id: key.id, prefix: key.prefix })]);

    const asKey = client(t.app, key.key);
    expect((await asKey.post("/api/v4/assets", { id: "by-key", name: "Made by a key" })).statusCode).toBe(201);
    const asset = (await t.api.get("/api/v4/assets/by-key")).json();
    expect(asset.created_by).toBe("admin (API key nightly ERP sync)");
    const history = (await t.api.get("/api/v4/assets/by-key/changes")).json();
    expect(history.collection[0].actor).toBe("admin (API key nightly ERP sync)");
    const used = (await t.api.get("/api/v4/api-keys")).json().collection[0];
    expect(Date.now() - Date.parse(used.last_used_at)).toBeLessThan(60_000);
  });

  it("cannot have a higher role than the creator, and are capped by the creator's current role", async () => {
    await t.api.post("/api/v4/users", { username: "lee", password: "lee-password", role: "editor" });
    const lee = await login(t.app, "lee", "lee-password");
    const higher = await lee.post("/api/v4/api-keys", { name: "too much", role: "admin" });
    expect(higher.statusCode).toBe(403);
    expect(higher.json().error).toMatch(/higher role than yours/);
    const key = (await lee.post("/api/v4/api-keys", { name: "lee's" })).json();
    expect(key.role).toBe("editor");
    const viewerKey = (await lee.post("/api/v4/api-keys", { name: "read only", role: "viewer" })).json();
    expect((await client(t.app, viewerKey.key).post("/api/v4/assets", { id: "vk", name: "No" })).statusCode).toBe(403);

    const asKey = client(t.app, key.key);
    expect((await asKey.post("/api/v4/assets", { id: "lee-1", name: "One" })).statusCode).toBe(201);
    const leeId = (await lee.get("/api/v4/users/me")).json().id;
    await t.api.patch(`/api/v4/users/${leeId}`, { role: "viewer" });
    expect((await asKey.post("/api/v4/assets", { id: "lee-2", name: "Two" })).statusCode).toBe(403);
    expect((await asKey.get("/api/v4/assets/lee-1")).statusCode).toBe(200);
  });

  it("expire", async () => {
    const past = await t.api.post("/api/v4/api-keys", { name: "old", expires_at: "2020-01-01T00:00:00.000Z" });
    expect(past.json()).toEqual({ code: 400, error: "expires_at must lie in the future" });
    const soon = (await t.api.post("/api/v4/api-keys", { name: "soon", expires_at: new Date(Date.now() + 1500).toISOString() })).json();
    const asKey = client(t.app, soon.key);
    expect((await asKey.get("/api/v4/assets")).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await asKey.get("/api/v4/assets")).statusCode).toBe(401);
  });

  it("are listed and deleted by their creator, or by an admin; API keys cannot manage keys", async () => {
    await t.api.post("/api/v4/users", { username: "max", password: "max-password", role: "viewer" });
    await t.api.post("/api/v4/users", { username: "ned", password: "ned-password", role: "viewer" });
    const max = await login(t.app, "max", "max-password");
    const ned = await login(t.app, "ned", "ned-password");
    const maxKey = (await max.post("/api/v4/api-keys", { name: "max's" })).json();
    expect((await ned.get("/api/v4/api-keys")).json().collection).toEqual([]);
    expect((await ned.delete(`/api/v4/api-keys/${maxKey.id}`)).statusCode).toBe(404);
    expect((await max.get("/api/v4/api-keys")).json().collection.map((k: { id: number }) => k.id)).toEqual([maxKey.id]);
    expect((await t.api.get("/api/v4/api-keys?limit=1000")).json().collection.map((k: { id: number }) => k.id)).toContain(maxKey.id);

    const asKey = client(t.app, maxKey.key);
    const minted = await asKey.post("/api/v4/api-keys", { name: "from a key" });
    expect(minted.statusCode).toBe(403);
    expect(minted.json().error).toMatch(/API keys cannot manage/);
    expect((await max.delete(`/api/v4/api-keys/${maxKey.id}`)).statusCode).toBe(204);
    expect((await asKey.get("/api/v4/assets")).statusCode).toBe(401);
  });
});

describe("tenants", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const acme = { slug: "acme", name: "Acme Ltd", admin: { username: "acme-admin", password: "acme-password" } };

  it("are created by a system administrator with their first admin, who sees only the new tenant", async () => {
    await t.api.post("/api/v4/assets", { id: "default-1", name: "Default's" });
    const res = await t.api.post("/api/v4/tenants", acme);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ slug: "acme", name: "Acme Ltd", admin: { username: "acme-admin", role: "admin", system_admin: false } });
    expect(body.admin.tenant_id).toBe(body.id);

    const acmeAdmin = await login(t.app, "acme-admin", "acme-password");
    expect((await acmeAdmin.get("/api/v4/assets")).json().total_count).toBe(0);
    expect((await acmeAdmin.get("/api/v4/assets/default-1")).statusCode).toBe(404);
    expect((await acmeAdmin.post("/api/v4/tenants", { ...acme, slug: "acme-2" })).statusCode).toBe(403);
    expect((await acmeAdmin.get("/api/v4/users")).json().collection.map((u: { username: string }) => u.username)).toEqual(["acme-admin"]);
  });

  it("refuse a taken slug or admin username, creating nothing", async () => {
    const slug = await t.api.post("/api/v4/tenants", { ...acme, admin: { username: "other-admin", password: "other-password" } });
    expect(slug.json()).toEqual({ code: 409, error: "a tenant with the slug 'acme' exists" });
    const username = await t.api.post("/api/v4/tenants", { ...acme, slug: "globex" });
    expect(username.json()).toEqual({ code: 409, error: "the username 'acme-admin' is taken" });
    const slugs = (await t.api.get("/api/v4/tenants")).json().collection.map((tenant: { slug: string }) => tenant.slug);
    expect(slugs).toEqual(["default", "acme"]);
    expect((await t.api.post("/api/v4/tenants", { ...acme, slug: "Not A Slug" })).statusCode).toBe(400);
  });
});

describe("audit log and login throttling", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: "3", LOGIN_MAX_FAILURES_PER_ADDRESS: "6", LOGIN_WINDOW_SECONDS: "600" });
  });
  afterAll(() => t.close());

  const attempt = (username: string, password: string, remoteAddress = "10.0.0.1") =>
    t.app.inject({ method: "POST", url: "/api/v4/auth/token", payload: { username, password }, remoteAddress });

  it("records logins, failed logins and user and key changes for the tenant's admins", async () => {
    await t.api.post("/api/v4/users", { username: "olga", password: "olga-password", role: "viewer" });
    await attempt("olga", "wrong-password", "10.9.9.9");
    await attempt("olga", "olga-password", "10.9.9.9");
    const key = (await t.api.post("/api/v4/api-keys", { name: "audited" })).json();
    await t.api.delete(`/api/v4/api-keys/${key.id}`);

    const events = (await t.api.get("/api/v4/audit-events?limit=1000")).json().collection as Array<Record<string, unknown>>;
    const summary = events.map((e) => [e.event, e.actor, e.target]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ["user_created", "admin", "olga"],
        ["login_failed", null, "olga"],
        ["login", "olga", "olga"],
        ["api_key_created", "admin", `${key.id} audited`],
        ["api_key_deleted", "admin", `${key.id} audited`],
      ]),
    );
    expect(events.find((e) => e.event === "login_failed")).toMatchObject({ ip: "10.9.9.9", at: expect.stringMatching(/Z$/) });
    // Newest first.
    expect(events[0]).toMatchObject({ event: "api_key_deleted" });
    const failed = (await t.api.get("/api/v4/audit-events?event=login_failed")).json().collection;
    expect(failed.every((e: { event: string }) => e.event === "login_failed")).toBe(true);

    const olga = await login(t.app, "olga", "olga-password");
    expect((await olga.get("/api/v4/audit-events")).statusCode).toBe(403);
  });

  it("throttles one username from one address after LOGIN_MAX_FAILURES, even with the right password", async () => {
    await t.api.post("/api/v4/users", { username: "pat", password: "pat-password", role: "viewer" });
    for (let i = 0; i < 3; i++) expect((await attempt("pat", "wrong")).statusCode).toBe(400);
    const throttled = await attempt("pat", "pat-password");
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json()).toEqual({ code: 429, error: expect.stringMatching(/too many failed logins/) });
    const retryAfter = Number(throttled.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(590);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // The same user from elsewhere is not locked out by someone else's failures.
    expect((await attempt("pat", "pat-password", "10.0.0.2")).statusCode).toBe(200);
  });

  it("answers an unknown username exactly as a known one, throttled alike", async () => {
    // The seconds to wait are read from a clock that moves between the two calls.
    const shape = (body: { code: number; error: string }) => ({ ...body, error: body.error.replace(/\d+ seconds/, "N seconds") });
    const known: number[] = [];
    for (let i = 0; i < 4; i++) {
      const a = await attempt("admin", "wrong", "10.0.1.1");
      const b = await attempt("nobody-here", "wrong", "10.0.1.2");
      known.push(a.statusCode);
      expect(b.statusCode).toBe(a.statusCode);
      expect(shape(b.json())).toEqual(shape(a.json()));
      expect(b.headers["retry-after"] === undefined).toBe(a.headers["retry-after"] === undefined);
    }
    expect(known).toEqual([400, 400, 400, 429]);
  });

  it("records a lockout once, not every refused attempt", async () => {
    for (let i = 0; i < 6; i++) await attempt("quinn", "wrong", "10.0.3.1");
    const events = (await t.api.get("/api/v4/audit-events?limit=1000")).json().collection as Array<{ event: string; target: string }>;
    const forQuinn = events.filter((e) => e.target === "quinn").map((e) => e.event);
    expect(forQuinn.filter((e) => e === "login_failed")).toHaveLength(3);
    expect(forQuinn.filter((e) => e === "login_throttled")).toHaveLength(1);
  });

  it("counts wrong current passwords of a password change with failed logins, and records them", async () => {
    await t.api.post("/api/v4/users", { username: "rosa", password: "rosa-password", role: "viewer" });
    const rosa = await login(t.app, "rosa", "rosa-password");
    const change = (current: string) =>
      rosa.request({ method: "PUT", url: "/api/v4/users/me/password", payload: { current_password: current, new_password: "rosa-new-password" }, remoteAddress: "10.0.4.1" });
    for (let i = 0; i < 3; i++) expect((await change("guess")).statusCode).toBe(400);
    const throttled = await change("rosa-password");
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
    expect((await attempt("rosa", "rosa-password", "10.0.4.1")).statusCode).toBe(429);
    const events = (await t.api.get("/api/v4/audit-events?event=password_change_failed")).json().collection;
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ actor: "rosa", target: "rosa", ip: "10.0.4.1" });
  });

  it("throttles an address that tries many usernames", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await attempt(`spray-${i}`, "guess", "10.0.2.1")).statusCode);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 429]);
    expect((await attempt(ADMIN.username, ADMIN.password, "10.0.2.1")).statusCode).toBe(429);
    expect((await attempt(ADMIN.username, ADMIN.password, "10.0.2.2")).statusCode).toBe(200);
  });
});
