import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/database.js";
import { useProcessTestDatabase } from "../helpers/database.js";
import { apiClient, expectImportedExactlyOnce, KILL_FIELDS, killDataset } from "../helpers/kill-dataset.js";
import { httpLogin, startServer } from "../helpers/process.js";

const TOTAL = 50_000;
const entries = killDataset(TOTAL);
// The same entries as a CSV file: stored as it streams in, in several payloads.
const csv = ["id,name,n,brand", ...entries.map((e) => [e.id, e.name, e.n, e.brand].join(","))].join("\n");
const bodies = [
  { format: "JSON", body: JSON.stringify(entries), type: "application/json" },
  { format: "CSV", body: csv, type: "text/csv" },
];

describe.each(bodies)("an accepted $format import survives SIGKILL", ({ body, type }) => {
  const database = useProcessTestDatabase("kill");
  // Small batches: many commits, so the kill lands between two of them. A
  // short lease: the restarted process takes over once the dead one's expires.
  const settings = { ADMIN_PASSWORD: "kill-test-password", IMPORT_BATCH_SIZE: "250", IMPORT_LEASE_SECONDS: "2" };

  it("completes after a restart with one final report row per entry and the right assets", async () => {
    const env = { ...settings, DATABASE_URL: database.url };
    let server = await startServer(env);
    const token = await httpLogin(server.baseUrl, "admin", env.ADMIN_PASSWORD);
    let api = apiClient(server.baseUrl, token);
    for (const field of KILL_FIELDS) {
      expect((await api("/api/v4/asset-fields", { method: "POST", body: JSON.stringify(field) })).status).toBe(201);
    }
    const accepted = await api("/api/v4/assets-import", { method: "POST", body, headers: { "content-type": type } });
    expect(accepted.status).toBe(202);
    const { import_id } = (await accepted.json()) as { import_id: number };

    // Kill as soon as some, but not all, entries are processed.
    for (;;) {
      const status = (await (await api(`/api/v4/assets-import/${import_id}`)).json()) as { stats: { in_progress_count: number } };
      if (status.stats.in_progress_count < TOTAL) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await server.kill("SIGKILL")).toBe("SIGKILL");

    const probe = await openDatabase(env.DATABASE_URL);
    const atKill = await probe.db.selectFrom("imports").select(["status", "processed_count"]).where("id", "=", import_id).executeTakeFirstOrThrow();
    await probe.close();
    expect(atKill.status).toBe("RUNNING");
    expect(atKill.processed_count).toBeGreaterThan(0);
    expect(atKill.processed_count).toBeLessThan(TOTAL);

    server = await startServer(env);
    api = apiClient(server.baseUrl, token);
    try {
      let final: { status: string };
      for (;;) {
        final = (await (await api(`/api/v4/assets-import/${import_id}`)).json()) as typeof final;
        if (final.status === "COMPLETED" || final.status === "FAILED") break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await expectImportedExactlyOnce(api, env.DATABASE_URL, import_id, TOTAL);
    } finally {
      expect(await server.kill("SIGTERM")).toBe(0);
    }
  });
});
