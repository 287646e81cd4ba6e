import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/database.js";
import { createTestDatabase, type TestDatabase } from "../helpers/database.js";
import { httpLogin, killAllServers, startServer } from "../helpers/process.js";

const TOTAL = 50_000;

// Entry i: every 100th has an invalid ID and fails; the rest carry their index.
const entries = Array.from({ length: TOTAL }, (_, i) => ({
  id: i % 100 === 99 ? `bad id ${i}` : `kill-${i}`,
  name: `Asset ${i}`,
  n: i,
  brand: `brand-${i % 7}`,
}));

describe("an accepted import survives SIGKILL", () => {
  const dir = mkdtempSync(join(tmpdir(), "assetport-kill-"));
  let database: TestDatabase;
  // Small batches: many commits, so the kill lands between two of them.
  const env = { DATABASE_URL: "", ADMIN_PASSWORD: "kill-test-password", IMPORT_BATCH_SIZE: "250" };
  beforeAll(async () => {
    database = await createTestDatabase(dir);
    env.DATABASE_URL = database.url;
  });
  afterAll(async () => {
    killAllServers();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("completes after a restart with one final report row per entry and the right assets", async () => {
    let server = await startServer(env);
    const token = await httpLogin(server.baseUrl, "admin", env.ADMIN_PASSWORD);
    const api = (base: string, path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers } });

    for (const field of [{ name: "n", type: "Integer" }, { name: "brand", type: "SingleLineText" }]) {
      expect((await api(server.baseUrl, "/api/v4/asset-fields", { method: "POST", body: JSON.stringify(field) })).status).toBe(201);
    }
    const accepted = await api(server.baseUrl, "/api/v4/assets-import", { method: "POST", body: JSON.stringify(entries) });
    expect(accepted.status).toBe(202);
    const { import_id } = (await accepted.json()) as { import_id: number };

    // Kill as soon as some, but not all, entries are processed.
    for (;;) {
      const status = (await (await api(server.baseUrl, `/api/v4/assets-import/${import_id}`)).json()) as { stats: { in_progress_count: number } };
      if (status.stats.in_progress_count < TOTAL) break;
    }
    expect(await server.kill("SIGKILL")).toBe("SIGKILL");

    const probe = await openDatabase(env.DATABASE_URL);
    const atKill = await probe.db.selectFrom("imports").select(["status", "processed_count"]).where("id", "=", import_id).executeTakeFirstOrThrow();
    await probe.close();
    expect(atKill.status).toBe("RUNNING");
    expect(atKill.processed_count).toBeGreaterThan(0);
    expect(atKill.processed_count).toBeLessThan(TOTAL);

    server = await startServer(env);
    try {
      let final: { status: string; stats: Record<string, number> };
      do {
        final = (await (await api(server.baseUrl, `/api/v4/assets-import/${import_id}`)).json()) as typeof final;
      } while (final.status !== "COMPLETED" && final.status !== "FAILED");
      expect(final.status).toBe("COMPLETED");
      expect(final.stats).toEqual({ total_count: TOTAL, success_count: 49_500, failed_count: 500, warning_count: 0, in_progress_count: 0 });

      // The whole report, as a client pages through it: one final row per entry, in order.
      const finals: Array<{ entry_num: number; status: string }> = [];
      for (let page = 1; ; page++) {
        const body = (await (await api(server.baseUrl, `/api/v4/assets-import/full-report?import_id=${import_id}&limit=1000&page=${page}`)).json()) as {
          collection: Array<{ entry_num: number; status: string }>;
          total_count: number;
        };
        expect(body.total_count).toBe(TOTAL);
        if (body.collection.length === 0) break;
        finals.push(...body.collection);
      }
      expect(finals.map((r) => r.entry_num)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
      expect(finals.filter((r) => r.status === "FAILED").map((r) => r.entry_num)).toEqual(
        Array.from({ length: 500 }, (_, k) => k * 100 + 100),
      );
    } finally {
      expect(await server.kill("SIGTERM")).toBe(0);
    }

    const check = await openDatabase(env.DATABASE_URL);
    const assets = await check.db.selectFrom("assets").select(["id", "name", "data", "version"]).execute();
    await check.close();
    expect(assets).toHaveLength(49_500);
    const wrong = assets.filter((a) => {
      const i = Number(a.id.slice("kill-".length));
      const data = JSON.parse(a.data) as { n: number; brand: string };
      return a.version !== 1 || a.name !== `Asset ${i}` || data.n !== i || data.brand !== `brand-${i % 7}`;
    });
    expect(wrong).toEqual([]);
  });
});
