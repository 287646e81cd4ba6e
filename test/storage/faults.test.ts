import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminQuery, backend, useProcessTestDatabase } from "../helpers/database.js";
import { apiClient, expectImportedExactlyOnce, KILL_FIELDS, killDataset } from "../helpers/kill-dataset.js";
import { httpLogin, startServer, type ServerProcess } from "../helpers/process.js";
import { startTcpProxy } from "../helpers/tcp-proxy.js";

const TOTAL = 50_000;
const PASSWORD = "faults-password";

// Database faults are a PostgreSQL matter: the network between the service
// and its database.
describe.runIf(backend === "postgres")("PostgreSQL unreachable or its connections killed", () => {
  const database = useProcessTestDatabase("faults");
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let server: ServerProcess;
  let api: ReturnType<typeof apiClient>;
  let url: string;
  const applicationName = `assetport-faults-${process.pid}`;

  beforeAll(async () => {
    proxy = await startTcpProxy("127.0.0.1", 5432);
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    viaProxy.searchParams.set("application_name", applicationName);
    url = viaProxy.toString();
    server = await startServer({ DATABASE_URL: url, ADMIN_PASSWORD: PASSWORD, IMPORT_BATCH_SIZE: "250", IMPORT_LEASE_SECONDS: "2" });
    api = apiClient(server.baseUrl, await httpLogin(server.baseUrl, "admin", PASSWORD));
    for (const field of KILL_FIELDS) await api("/api/v4/asset-fields", { method: "POST", body: JSON.stringify(field) });
  });
  afterAll(() => proxy.close());

  async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("condition not reached in time");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function inProgress(importId: number): Promise<number> {
    const res = await api(`/api/v4/assets-import/${importId}`);
    return res.status === 200 ? ((await res.json()) as { stats: { in_progress_count: number } }).stats.in_progress_count : -1;
  }

  it("answers 503 in the error shape while the database is unreachable, and the import completes afterwards", async () => {
    const res = await api("/api/v4/assets-import", { method: "POST", body: JSON.stringify(killDataset(TOTAL)) });
    const { import_id } = (await res.json()) as { import_id: number };
    await until(async () => (await inProgress(import_id)) < TOTAL);

    proxy.cut();
    for (const [method, path] of [
      ["GET", "/api/v4/assets"],
      ["GET", `/api/v4/assets-import/${import_id}`],
      ["POST", "/api/v4/asset-fields"],
    ] as const) {
      const answer = await api(path, { method, ...(method === "POST" ? { body: JSON.stringify({ name: "x", type: "Number" }) } : {}) });
      expect(answer.status, path).toBe(503);
      expect(answer.headers.get("retry-after"), path).toBe("5");
      expect(await answer.json()).toEqual({ code: 503, error: "database unavailable; try again shortly" });
    }
    const ready = await fetch(`${server.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get("retry-after")).toBe("5");
    expect(await ready.json()).toEqual({ code: 503, error: "database unreachable" });
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));

    proxy.restore();
    await until(async () => (await fetch(`${server.baseUrl}/readyz`)).status === 200);
    await until(async () => (await inProgress(import_id)) === 0, 60_000);
    // Nothing in progress means ended: the last batch completes the import.
    await expectImportedExactlyOnce(api, database.url, import_id, TOTAL);
    expect(server.output()).not.toMatch(/request failed|worker thread failed/);
  });

  it("recovers when its connections are killed with pg_terminate_backend, and the import goes on", async () => {
    await adminQuery(`delete from ${new URL(database.url).searchParams.get("options")!.split("=")[1]}.assets`);
    const res = await api("/api/v4/assets-import", { method: "POST", body: JSON.stringify(killDataset(TOTAL)) });
    const { import_id } = (await res.json()) as { import_id: number };
    await until(async () => (await inProgress(import_id)) < TOTAL);

    const killed = await adminQuery("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1", [applicationName]);
    expect(killed.rowCount).toBeGreaterThan(0);
    // Requests work again at once or after a 503 for a request caught mid-flight.
    await until(async () => (await api("/api/v4/assets")).status === 200);
    await until(async () => (await inProgress(import_id)) === 0, 60_000);
    await expectImportedExactlyOnce(api, database.url, import_id, TOTAL);
    expect(await server.kill("SIGTERM")).toBe(0);
  });
});
