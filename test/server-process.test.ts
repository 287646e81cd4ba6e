import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/storage/database.js";
import { createTestDatabase, useProcessTestDatabase } from "./helpers/database.js";
import { httpLogin, spawnServer, startServer } from "./helpers/process.js";

describe("the service process", () => {
  const database = useProcessTestDatabase("process");
  const env = {
    get DATABASE_URL() {
      return database.url;
    },
  };

  it("a start that fails names the setting and creates no admin, so the password is not lost", async () => {
    const { createServer } = await import("node:net");
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = String((blocker.address() as { port: number }).port);
    await expect(startServer({ ...env, PORT: port })).rejects.toThrow(new RegExp(`PORT: ${port} is already in use`));
    blocker.close();
  });

  it("starts with `npm start`, prints a generated admin password once, and logs in over HTTP", async () => {
    const server = await startServer(env, ["npm", "start"]);
    try {
      const output = await server.waitForOutput(/username "admin", password "([^"]+)"/);
      const match = /username "admin", password "([^"]+)"/.exec(output);
      // On stderr, on a line of its own: never in the JSON log stream.
      expect(output.split("\n").filter((line) => line.includes(match![1]!))).toEqual([`Assetport admin created: username "admin", password "${match![1]}"`]);
      expect(await server.waitForOutput(/"msg":"admin created"/)).toMatch(/"username":"admin","password_generated":true/);
      const token = await httpLogin(server.baseUrl, "admin", match![1]!);
      const res = await fetch(`${server.baseUrl}/api/v4/assets`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ collection: [], count: 0, page: 1, total_count: 0, total_pages: 0, next_cursor: null });
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      // npm itself ends by the signal; the graceful exit is checked below on node directly.
      await server.kill("SIGTERM");
    }
  });

  it("changes nothing on a later start: no new password, ADMIN_PASSWORD ignored", async () => {
    const server = await startServer({ ...env, ADMIN_PASSWORD: "another-password" });
    try {
      expect(server.output()).not.toMatch(/password "/);
      await expect(httpLogin(server.baseUrl, "admin", "another-password")).rejects.toThrow(/400/);
    } finally {
      // SIGTERM closes gracefully and exits 0.
      expect(await server.kill("SIGTERM")).toBe(0);
    }
  });

  it("refuses to start on invalid configuration, naming the variable", async () => {
    await expect(startServer({ ...env, PORT: "eighty" })).rejects.toThrow(/PORT/);
  });
});

describe("several processes starting at once on an empty database", () => {
  const database = useProcessTestDatabase("bootstrap");

  it("all start, and exactly one creates the tenant and its admin", async () => {
    const env = { DATABASE_URL: database.url, ADMIN_PASSWORD: "race-password" };
    const servers = await Promise.all([startServer(env), startServer(env), startServer(env)]);
    const probe = await openDatabase(database.url);
    expect(await probe.db.selectFrom("tenants").select("slug").execute()).toEqual([{ slug: "default" }]);
    expect(await probe.db.selectFrom("users").select("username").execute()).toEqual([{ username: "admin" }]);
    await probe.close();
    for (const server of servers) expect(await server.kill("SIGTERM")).toBe(0);
  });
});

describe("readiness on a fresh database", () => {
  // Issue 15: a script that starts the service, waits for /readyz and logs in
  // must never meet the window before the first start created the admin.
  const ROUNDS = 8;

  it(`logs in at the first instant /readyz answers 200, ${ROUNDS} fresh starts in a row`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "assetport-ready-"));
    let notReadySeen = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const database = await createTestDatabase(join(dir, String(round)));
        mkdirSync(join(dir, String(round)), { recursive: true });
        const server = await spawnServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "ready-password" }, ["node", "dist/server.js"], "Server listening");
        try {
          for (;;) {
            const ready = await fetch(`${server.baseUrl}/readyz`);
            if (ready.status === 200) break;
            notReadySeen++;
            expect(ready.status).toBe(503);
            expect(ready.headers.get("retry-after")).toBe("1");
            expect(await ready.json()).toEqual({ code: 503, error: "the service is starting; try again shortly" });
            const api = await fetch(`${server.baseUrl}/api/v4/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
            // Still starting, or ready by now: never a 400 for a missing admin.
            if (api.status === 503) {
              expect(api.headers.get("retry-after")).toBe("1");
              expect(await api.json()).toMatchObject({ code: 503 });
            }
          }
          const token = await httpLogin(server.baseUrl, "admin", "ready-password");
          expect(token).toMatch(/\S/);
          // Said in the log also when the password was given.
          expect(await server.waitForOutput(/"msg":"admin created"/)).toMatch(/"password_generated":false/);
        } finally {
          expect(await server.kill("SIGTERM")).toBe(0);
          await database.drop();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The window exists (the admin's password is hashed with scrypt first), so the 503 path ran.
    expect(notReadySeen).toBeGreaterThan(0);
  });
});
