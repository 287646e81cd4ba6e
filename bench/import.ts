// npm run bench: the import benchmark of docs/performance.md. Each run starts
// a fresh server process on an empty SQLite file, imports 50,000 entries,
// then an update of the same 50,000 assets (both timed), then one more update
// while a reader measures GET /api/v4/assets latency. Figures are medians
// over RUNS runs.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { entries, FIELDS } from "./dataset.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const COUNT = 50_000;
const PASSWORD = "bench-password";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

interface Server {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

async function startServer(dir: string): Promise<Server> {
  const child = spawn("node", ["dist-bench/src/server.js"], {
    env: { ...process.env, PORT: "0", LOG_LEVEL: "info", DATABASE_URL: join(dir, "bench.db"), ADMIN_PASSWORD: PASSWORD },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const m = /Server listening at (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  child.stdout!.resume();
  return {
    base,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Peak resident set size of a process so far (kernel high-water mark), in MB. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m![1]) / 1024;
}

async function login(base: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/v4/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  return { authorization: `Bearer ${token}`, "content-type": "application/json" };
}

/**
 * POST to COMPLETED in ms. With `withReader`, one client sends GET
 * /api/v4/assets back to back meanwhile and its latencies are returned; the
 * timed imports run without it, since on two cores the reader competes with
 * the server for CPU.
 */
async function timedImport(base: string, headers: Record<string, string>, body: string, withReader = false) {
  const latencies: number[] = [];
  let done = !withReader;
  const reader = (async () => {
    while (!done) {
      const t = performance.now();
      await (await fetch(`${base}/api/v4/assets?limit=50`, { headers })).arrayBuffer();
      latencies.push(performance.now() - t);
    }
  })();
  const start = performance.now();
  const res = await fetch(`${base}/api/v4/assets-import`, { method: "POST", headers, body });
  if (res.status !== 202) throw new Error(`import refused: ${res.status} ${await res.text()}`);
  const { import_id } = (await res.json()) as { import_id: number };
  let status: { status: string; stats: Record<string, number> };
  for (;;) {
    status = (await (await fetch(`${base}/api/v4/assets-import/${import_id}`, { headers })).json()) as typeof status;
    if (status.status === "COMPLETED" || status.status === "FAILED") break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - start;
  done = true;
  await reader;
  if (status.status !== "COMPLETED") throw new Error(`import ${status.status}`);
  return { ms, latencies, stats: status.stats };
}

/** The plain better-sqlite3 prepared-statement upsert of the same rows, in one transaction. */
function baseline(rows: Array<Record<string, unknown>>, dir: string): number {
  const db = new SQLite(join(dir, "baseline.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec(`create table assets (tenant_id integer not null, id text not null, name text not null, data text not null,
    version integer not null, updated_at integer not null, primary key (tenant_id, id))`);
  const upsert = db.prepare(`insert into assets (tenant_id, id, name, data, version, updated_at) values (1, ?, ?, ?, 1, ?)
    on conflict (tenant_id, id) do update set name = excluded.name, data = excluded.data, version = version + 1, updated_at = excluded.updated_at`);
  const start = performance.now();
  db.transaction(() => {
    for (const { id, name, ...fields } of rows) upsert.run(id, name, JSON.stringify(fields), Date.now());
  })();
  const ms = performance.now() - start;
  db.close();
  return ms;
}

async function main(): Promise<void> {
  const first = JSON.stringify(entries(COUNT, 0));
  const update = JSON.stringify(entries(COUNT, 1));
  const another = JSON.stringify(entries(COUNT, 2));
  const results = { first: [] as number[], update: [] as number[], baseline: [] as number[], rss: [] as number[], latencies: [] as number[] };
  let stats: Record<string, number> = {};

  for (let run = 1; run <= RUNS; run++) {
    const dir = mkdtempSync(join(tmpdir(), "assetport-bench-"));
    const server = await startServer(dir);
    try {
      const headers = await login(server.base);
      for (const field of FIELDS) {
        await fetch(`${server.base}/api/v4/asset-fields`, { method: "POST", headers, body: JSON.stringify(field) });
      }
      const a = await timedImport(server.base, headers, first);
      const b = await timedImport(server.base, headers, update);
      const c = await timedImport(server.base, headers, another, true);
      stats = a.stats;
      results.first.push(a.ms);
      results.update.push(b.ms);
      results.latencies.push(...c.latencies);
      results.rss.push(peakRssMb(server.pid));
      results.baseline.push(baseline(entries(COUNT, 0), dir));
      console.log(
        `run ${run}: first ${a.ms.toFixed(0)} ms, update ${b.ms.toFixed(0)} ms, baseline ${results.baseline.at(-1)!.toFixed(0)} ms, ` +
          `peak RSS ${results.rss.at(-1)!.toFixed(0)} MB, GET p99 ${percentile(c.latencies, 0.99).toFixed(1)} ms`,
      );
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const first_ms = median(results.first);
  const base_ms = median(results.baseline);
  // This machine's speed drifts between runs; the ratio within a run does not.
  const ratios = results.first.map((ms, i) => ms / results.baseline[i]!);
  console.log(`\nimport of ${COUNT} entries, 6 custom fields, SQLite, median of ${RUNS} runs`);
  console.log(`  outcome of the first import:  ${JSON.stringify(stats)}`);
  console.log(`  first import (POST to COMPLETED):   ${(first_ms / 1000).toFixed(3)} s  (${Math.round(COUNT / (first_ms / 1000))} entries/s)`);
  console.log(`  update import (POST to COMPLETED):  ${(median(results.update) / 1000).toFixed(3)} s  (${Math.round(COUNT / (median(results.update) / 1000))} entries/s)`);
  console.log(`  baseline (better-sqlite3 upsert):   ${(base_ms / 1000).toFixed(3)} s`);
  console.log(`  ratio first import / baseline:      ${median(ratios).toFixed(2)} (median of per-run ratios: ${ratios.map((r) => r.toFixed(2)).join(", ")})`);
  console.log(`  GET /api/v4/assets during an import: p50 ${percentile(results.latencies, 0.5).toFixed(1)} ms, p99 ${percentile(results.latencies, 0.99).toFixed(1)} ms (${results.latencies.length} requests)`);
  console.log(`  peak RSS of the server:             ${Math.max(...results.rss).toFixed(0)} MB (max over runs)`);
}

await main();
