import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, client, startTestApp, type TestApp } from "../helpers/app.js";

describe("auth", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const loginAs = (username: string, password: string) =>
    t.app.inject({ method: "POST", url: "/api/v4/auth/token", payload: { username, password } });

  it("logs in with the bootstrap admin and returns token, expiry and user without secrets", async () => {
    const res = await loginAs(ADMIN.username, ADMIN.password);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const expires = Date.parse(body.expires) - Date.now();
    expect(expires).toBeGreaterThan(167 * 3600_000);
    expect(expires).toBeLessThanOrEqual(168 * 3600_000);
    expect(body.expires).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(body.User).toMatchObject({ username: "admin", role: "admin", tenant_id: expect.any(Number) });
    expect(Object.keys(body.User).sort()).toEqual(
      ["created_at", "email", "full_name", "id", "last_login_at", "role", "tenant_id", "updated_at", "username"].sort(),
    );
    expect(res.body).not.toMatch(/password|scrypt/);
  });

  it("answers 400 invalid credentials alike for a wrong password and an unknown user", async () => {
    for (const res of [await loginAs(ADMIN.username, "wrong-password"), await loginAs("nobody", "whatever")]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code: 400, error: "invalid credentials" });
    }
  });

  it("stores only a hash of the session token", async () => {
    const { token } = (await loginAs(ADMIN.username, ADMIN.password)).json();
    const rows = await t.services.database.db.selectFrom("sessions").select("token_hash").execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
  });

  it("requires a valid bearer token on the API", async () => {
    const none = await t.app.inject({ method: "GET", url: "/api/v4/assets" });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 401 });
    const bad = await client(t.app, "not-a-token").get("/api/v4/assets");
    expect(bad.statusCode).toBe(401);
  });

  it("DELETE /auth/token revokes only the calling session", async () => {
    const a = client(t.app, (await loginAs(ADMIN.username, ADMIN.password)).json().token);
    const b = client(t.app, (await loginAs(ADMIN.username, ADMIN.password)).json().token);
    expect((await a.delete("/api/v4/auth/token")).statusCode).toBe(204);
    expect((await a.get("/api/v4/assets")).statusCode).toBe(401);
    expect((await b.get("/api/v4/assets")).statusCode).toBe(200);
  });

  it("refuses an expired session", async () => {
    const { token } = (await loginAs(ADMIN.username, ADMIN.password)).json();
    await t.services.database.db.updateTable("sessions").set({ expires_at: Date.now() - 1 }).execute();
    expect((await client(t.app, token).get("/api/v4/assets")).statusCode).toBe(401);
  });
});
