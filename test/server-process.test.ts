import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/storage/database.js";
import { useProcessTestDatabase } from "./helpers/database.js";
import { httpLogin, startServer } from "./helpers/process.js";

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
      const match = /username "admin", password "([^"]+)"/.exec(server.output());
      expect(match, server.output()).not.toBeNull();
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
