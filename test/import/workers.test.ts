import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/database.js";
import { backend, useProcessTestDatabase } from "../helpers/database.js";
import { apiClient, expectImportedExactlyOnce, KILL_FIELDS, killDataset } from "../helpers/kill-dataset.js";
import { httpLogin, startServer, type ServerProcess } from "../helpers/process.js";
import { createTenantAdmin } from "../helpers/tenants.js";

const TOTAL = 50_000;
const entries = JSON.stringify(killDataset(TOTAL));
const PASSWORD = "workers-password";

// Several worker processes sharing one queue: PostgreSQL only.
describe.runIf(backend === "postgres")("API and worker processes on PostgreSQL", () => {
  const database = useProcessTestDatabase("workers");
  let env: Record<string, string>;
  beforeAll(() => {
    // Small batches and a short lease, so that takeovers happen within the test.
    env = { DATABASE_URL: database.url, ADMIN_PASSWORD: PASSWORD, IMPORT_BATCH_SIZE: "250", IMPORT_LEASE_SECONDS: "2" };
  });

  async function importRow(importId: number) {
    const probe = await openDatabase(database.url);
    const row = await probe.db.selectFrom("imports").selectAll().where("id", "=", importId).executeTakeFirstOrThrow();
    await probe.close();
    return row;
  }

  async function waitFor<T>(read: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (until(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const workerPid = (owner: string | null) => Number(owner?.split(":")[1]);

  let apiServer: ServerProcess;
  let api: ReturnType<typeof apiClient>;

  it("starts an API-only process; it accepts imports without running them", async () => {
    apiServer = await startServer({ ...env, ROLE: "api" });
    api = apiClient(apiServer.baseUrl, await httpLogin(apiServer.baseUrl, "admin", PASSWORD));
    for (const field of KILL_FIELDS) {
      expect((await api("/api/v4/asset-fields", { method: "POST", body: JSON.stringify(field) })).status).toBe(201);
    }
    expect(apiServer.output()).toContain('"role":"api"');
  });

  it("a second worker takes over an import whose worker was SIGKILLed, and completes it exactly once", async () => {
    const workers = [await startServer({ ...env, ROLE: "worker" }), await startServer({ ...env, ROLE: "worker" })];
    const res = await api("/api/v4/assets-import", { method: "POST", body: entries });
    expect(res.status).toBe(202);
    const { import_id } = (await res.json()) as { import_id: number };

    const running = await waitFor(() => importRow(import_id), (r) => r.lease_owner !== null && r.processed_count > 0);
    const victim = workers.find((w) => w.child.pid === workerPid(running.lease_owner))!;
    const survivor = workers.find((w) => w !== victim)!;
    expect(victim).toBeDefined();
    expect(await victim.kill("SIGKILL")).toBe("SIGKILL");
    const atKill = await importRow(import_id);
    expect(atKill.processed_count).toBeLessThan(TOTAL);

    const done = await waitFor(() => importRow(import_id), (r) => r.status === "COMPLETED");
    expect(done.lease_owner).toBeNull();
    expect(survivor.output()).toContain("resuming import");
    await expectImportedExactlyOnce(api, database.url, import_id, TOTAL);
    expect(await survivor.kill("SIGTERM")).toBe(0);
  });

  it("a worker frozen mid-batch (SIGSTOP) loses the import to another once its lease runs out", async () => {
    await openDatabase(database.url).then(async (d) => {
      await d.db.deleteFrom("assets").execute();
      await d.close();
    });
    const workers = [await startServer({ ...env, ROLE: "worker" }), await startServer({ ...env, ROLE: "worker" })];
    const res = await api("/api/v4/assets-import", { method: "POST", body: entries });
    const { import_id } = (await res.json()) as { import_id: number };
    const running = await waitFor(() => importRow(import_id), (r) => r.lease_owner !== null && r.processed_count > 0);
    const frozen = workers.find((w) => w.child.pid === workerPid(running.lease_owner))!;
    process.kill(frozen.child.pid!, "SIGSTOP");
    try {
      // Its open transaction, if any, is ended by PostgreSQL after one lease;
      // then the row lock is free and the lease expired.
      const done = await waitFor(() => importRow(import_id), (r) => r.status === "COMPLETED", 60_000);
      expect(workerPid(done.lease_owner)).not.toBe(frozen.child.pid);
      await expectImportedExactlyOnce(api, database.url, import_id, TOTAL);
    } finally {
      await frozen.kill("SIGKILL");
    }
    for (const w of workers.filter((w) => w !== frozen)) expect(await w.kill("SIGTERM")).toBe(0);
  });

  it("SIGTERM: the worker finishes its batch, hands the import back and exits 0", async () => {
    await openDatabase(database.url).then(async (d) => {
      await d.db.deleteFrom("assets").execute();
      await d.close();
    });
    const worker = await startServer({ ...env, ROLE: "worker" });
    const res = await api("/api/v4/assets-import", { method: "POST", body: entries });
    const { import_id } = (await res.json()) as { import_id: number };
    await waitFor(() => importRow(import_id), (r) => r.processed_count > 0);
    expect(await worker.kill("SIGTERM")).toBe(0);

    const handedBack = await importRow(import_id);
    expect(handedBack.status).toBe("RUNNING");
    expect(handedBack.lease_owner).toBeNull();
    expect(handedBack.processed_count % 250).toBe(0);
    expect(handedBack.processed_count).toBeLessThan(TOTAL);
    expect(worker.output()).toContain("import handed back");

    // No lease to wait out: the next worker goes on at once.
    const next = await startServer({ ...env, ROLE: "worker" });
    await waitFor(() => importRow(import_id), (r) => r.status === "COMPLETED", 30_000);
    await expectImportedExactlyOnce(api, database.url, import_id, TOTAL);
    expect(await next.kill("SIGTERM")).toBe(0);
  });

  it("runs one tenant's imports in order while another tenant's import runs in parallel", async () => {
    await createTenantAdmin(database.url, "second", "second-admin", PASSWORD);
    const other = apiClient(apiServer.baseUrl, await httpLogin(apiServer.baseUrl, "second-admin", PASSWORD));
    for (const field of KILL_FIELDS) await other("/api/v4/asset-fields", { method: "POST", body: JSON.stringify(field) });
    const workers = [await startServer({ ...env, ROLE: "worker" }), await startServer({ ...env, ROLE: "worker" })];

    const post = async (client: typeof api, body: string) =>
      ((await (await client("/api/v4/assets-import", { method: "POST", body })).json()) as { import_id: number }).import_id;
    const a1 = await post(api, entries);
    const a2 = await post(api, JSON.stringify([{ id: "kill-1", brand: "after a1" }]));
    const b1 = await post(other, entries);

    const [ra1, ra2, rb1] = await Promise.all([a1, a2, b1].map((id) => waitFor(() => importRow(id), (r) => r.status === "COMPLETED")));
    // Tenant A: in acceptance order, never two at once.
    expect(ra2!.started_at!).toBeGreaterThanOrEqual(ra1!.ended_at!);
    // Tenant B's import overlapped tenant A's first one, on the other worker.
    expect(rb1!.started_at!).toBeLessThan(ra1!.ended_at!);
    expect(ra1!.started_at!).toBeLessThan(rb1!.ended_at!);
    const brand = (await (await api("/api/v4/assets/kill-1")).json()) as { brand: string };
    expect(brand.brand).toBe("after a1");
    for (const w of workers) expect(await w.kill("SIGTERM")).toBe(0);
  });
});
