import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
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
  const dbFile = join(dir, "assetport.db");
  // Small batches: many commits, so the kill lands between two of them.
  const env = { DATABASE_URL: dbFile, ADMIN_PASSWORD: "kill-test-password", IMPORT_BATCH_SIZE: "250" };
  afterAll(() => {
    killAllServers();
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

    const db = new SQLite(dbFile, { readonly: true });
    const atKill = db.prepare("select status, processed_count from imports where id = ?").get(import_id) as { status: string; processed_count: number };
    db.close();
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

    const check = new SQLite(dbFile, { readonly: true });
    const assets = check
      .prepare(
        "select count(*) as n, sum(version = 1) as v1, sum(json_extract(data, '$.n') = cast(substr(id, 6) as integer) and name = 'Asset ' || substr(id, 6)) as right from assets",
      )
      .get();
    check.close();
    expect(assets).toEqual({ n: 49_500, v1: 49_500, right: 49_500 });
  });
});
