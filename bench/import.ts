// npm run bench: the import benchmark of docs/performance.md. Each run starts
// a fresh server process on an empty database (a SQLite file, or with
// BENCH_DB=postgres a fresh schema of the PostgreSQL at BENCH_PG_URL),
// imports 50,000 entries, then an update of the same 50,000 assets (both
// timed), then one more update while a reader measures GET /api/v4/assets
// latency. Figures are medians over BENCH_RUNS runs (default 5). Then the
// same two imports with the asset model in use (categories, statuses, sites,
// tags, descriptions; docs/assets.md), on a fresh server each run. On
// PostgreSQL it also times two tenants' imports on two worker processes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { hashPassword } from "../src/auth/passwords.js";
import { categorisedEntries, entries } from "./dataset.js";
import { createCatalog, createFields, freshDatabase, login, PASSWORD, peakRssMb, pgQuery, startServer, waitCompleted } from "./server.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const POSTGRES = process.env.BENCH_DB === "postgres";
const COUNT = 50_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function post(base: string, headers: Record<string, string>, body: string): Promise<number> {
  const res = await fetch(`${base}/api/v4/assets-import`, { method: "POST", headers, body });
  if (res.status !== 202) throw new Error(`import refused: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { import_id: number }).import_id;
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
  const status = await waitCompleted(base, headers, await post(base, headers, body));
  const ms = performance.now() - start;
  done = true;
  await reader;
  return { ms, latencies, stats: status.stats };
}

const baselineRows = (rows: Array<Record<string, unknown>>) => rows.map(({ id, name, ...fields }) => [id, name, JSON.stringify(fields)] as const);

/**
 * The baseline: a plain upsert of the same 50,000 rows in one transaction.
 * SQLite: a better-sqlite3 prepared statement per row. PostgreSQL: one
 * INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE.
 */
async function baseline(rows: Array<Record<string, unknown>>, dir: string, url: string): Promise<number> {
  const values = baselineRows(rows);
  if (POSTGRES) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`create table baseline (tenant_id integer not null, id text collate "C" not null, name text not null, data jsonb not null,
      version integer not null, updated_at bigint not null, primary key (tenant_id, id))`);
    const start = performance.now();
    await client.query(
      `insert into baseline (tenant_id, id, name, data, version, updated_at)
       select 1, id, name, data::jsonb, 1, $4 from unnest($1::text[], $2::text[], $3::text[]) as t(id, name, data)
       on conflict (tenant_id, id) do update set name = excluded.name, data = excluded.data, version = baseline.version + 1, updated_at = excluded.updated_at`,
      [values.map((v) => v[0]), values.map((v) => v[1]), values.map((v) => v[2]), Date.now()],
    );
    const ms = performance.now() - start;
    await client.end();
    return ms;
  }
  const db = new SQLite(join(dir, "baseline.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec(`create table baseline (tenant_id integer not null, id text not null, name text not null, data text not null,
    version integer not null, updated_at integer not null, primary key (tenant_id, id))`);
  const upsert = db.prepare(`insert into baseline (tenant_id, id, name, data, version, updated_at) values (1, ?, ?, ?, 1, ?)
    on conflict (tenant_id, id) do update set name = excluded.name, data = excluded.data, version = version + 1, updated_at = excluded.updated_at`);
  const start = performance.now();
  db.transaction(() => {
    for (const [id, name, data] of values) upsert.run(id, name, data, Date.now());
  })();
  const ms = performance.now() - start;
  db.close();
  return ms;
}

/** PostgreSQL: one API process and two workers; two tenants import 50,000 entries each at once. */
async function twoTenants(url: string, body: string): Promise<{ ms: number; overlapped: boolean }> {
  const api = await startServer(url, "api");
  const workers = [await startServer(url, "worker"), await startServer(url, "worker")];
  try {
    const tenant = await pgQuery(url, "insert into tenants (slug, name, created_at) values ('second', 'second', $1) returning id", [Date.now()]);
    await pgQuery(
      url,
      "insert into users (tenant_id, username, full_name, email, role, password_hash, created_at, updated_at) values ($1, 'second', '', '', 'admin', $2, $3, $3)",
      [tenant.rows[0].id, await hashPassword(PASSWORD), Date.now()],
    );
    const a = await login(api.base);
    const b = await login(api.base, "second");
    await createFields(api.base, a);
    await createFields(api.base, b);
    const start = performance.now();
    const [ia, ib] = await Promise.all([post(api.base, a, body), post(api.base, b, body)]);
    const [sa, sb] = await Promise.all([waitCompleted(api.base, a, ia), waitCompleted(api.base, b, ib)]);
    const ms = performance.now() - start;
    const overlapped = Date.parse(sa.import_started_at) < Date.parse(sb.import_ended_at) && Date.parse(sb.import_started_at) < Date.parse(sa.import_ended_at);
    return { ms, overlapped };
  } finally {
    await Promise.all([api, ...workers].map((s) => s.stop()));
  }
}

/** Runs `work` on a server started on an empty database with the benchmark's fields, then removes both. */
async function onFreshServer(
  work: (server: Awaited<ReturnType<typeof startServer>>, headers: Record<string, string>, dir: string, database: Awaited<ReturnType<typeof freshDatabase>>) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "assetport-bench-"));
  const database = await freshDatabase(dir);
  const server = await startServer(database.url);
  try {
    const headers = await login(server.base);
    await createFields(server.base, headers);
    await work(server, headers, dir, database);
  } finally {
    await server.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const first = JSON.stringify(entries(COUNT, 0));
  const update = JSON.stringify(entries(COUNT, 1));
  const another = JSON.stringify(entries(COUNT, 2));
  const results = { first: [] as number[], update: [] as number[], baseline: [] as number[], rss: [] as number[], latencies: [] as number[] };
  let stats: Record<string, number> = {};

  for (let run = 1; run <= RUNS; run++) {
    await onFreshServer(async (server, headers, dir, database) => {
      const a = await timedImport(server.base, headers, first);
      const b = await timedImport(server.base, headers, update);
      const c = await timedImport(server.base, headers, another, true);
      stats = a.stats;
      results.first.push(a.ms);
      results.update.push(b.ms);
      results.latencies.push(...c.latencies);
      results.rss.push(peakRssMb(server.pid));
      results.baseline.push(await baseline(entries(COUNT, 0), dir, database.url));
      console.log(
        `run ${run}: first ${a.ms.toFixed(0)} ms, update ${b.ms.toFixed(0)} ms, baseline ${results.baseline.at(-1)!.toFixed(0)} ms, ` +
          `peak RSS ${results.rss.at(-1)!.toFixed(0)} MB, GET p99 ${percentile(c.latencies, 0.99).toFixed(1)} ms`,
      );
    });
  }

  const first_ms = median(results.first);
  // This machine's speed drifts between runs; the ratio within a run does not.
  const ratios = results.first.map((ms, i) => ms / results.baseline[i]!);
  const perSecond = (ms: number) => Math.round(COUNT / (ms / 1000));
  console.log(`\nimport of ${COUNT} entries, 6 custom fields, ${POSTGRES ? "PostgreSQL" : "SQLite"}, median of ${RUNS} runs`);
  console.log(`  outcome of the first import:  ${JSON.stringify(stats)}`);
  console.log(`  first import (POST to COMPLETED):   ${(first_ms / 1000).toFixed(3)} s  (${perSecond(first_ms)} entries/s)`);
  console.log(`  update import (POST to COMPLETED):  ${(median(results.update) / 1000).toFixed(3)} s  (${perSecond(median(results.update))} entries/s)`);
  console.log(`  baseline (${POSTGRES ? "one unnest upsert" : "better-sqlite3 upsert"}):   ${(median(results.baseline) / 1000).toFixed(3)} s`);
  console.log(`  ratio first import / baseline:      ${median(ratios).toFixed(2)} (per run: ${ratios.map((r) => r.toFixed(2)).join(", ")})`);
  console.log(`  GET /api/v4/assets during an import: p50 ${percentile(results.latencies, 0.5).toFixed(1)} ms, p99 ${percentile(results.latencies, 0.99).toFixed(1)} ms (${results.latencies.length} requests)`);
  console.log(`  peak RSS of the server:             ${Math.max(...results.rss).toFixed(0)} MB (max over runs)`);

  // With categories: each entry names a category (half by name), a status by
  // name, a site, tags and a description; every field applies.
  const categorised = { first: [] as number[], update: [] as number[], rss: [] as number[] };
  const firstCategorised = JSON.stringify(categorisedEntries(COUNT, 0));
  const updateCategorised = JSON.stringify(categorisedEntries(COUNT, 1));
  for (let run = 1; run <= RUNS; run++) {
    await onFreshServer(async (server, headers) => {
      await createCatalog(server.base, headers);
      const a = await timedImport(server.base, headers, firstCategorised);
      const b = await timedImport(server.base, headers, updateCategorised);
      if (a.stats.success_count !== stats.success_count || a.stats.warning_count !== stats.warning_count) throw new Error(`categorised import: ${JSON.stringify(a.stats)}`);
      categorised.first.push(a.ms);
      categorised.update.push(b.ms);
      categorised.rss.push(peakRssMb(server.pid));
      console.log(`categorised run ${run}: first ${a.ms.toFixed(0)} ms, update ${b.ms.toFixed(0)} ms, peak RSS ${categorised.rss.at(-1)!.toFixed(0)} MB`);
    });
  }
  const ratio = (xs: number[], ys: number[]) => (median(xs) / median(ys)).toFixed(2);
  console.log(`\nthe same with categories, statuses, sites, tags and descriptions in every entry, median of ${RUNS} runs`);
  console.log(`  first import (POST to COMPLETED):   ${(median(categorised.first) / 1000).toFixed(3)} s  (${ratio(categorised.first, results.first)}x the plain first import)`);
  console.log(`  update import (POST to COMPLETED):  ${(median(categorised.update) / 1000).toFixed(3)} s  (${ratio(categorised.update, results.update)}x the plain update)`);
  console.log(`  peak RSS of the server:             ${Math.max(...categorised.rss).toFixed(0)} MB (max over runs)`);

  if (POSTGRES) {
    const dir = mkdtempSync(join(tmpdir(), "assetport-bench-"));
    const database = await freshDatabase(dir);
    // The schema is created by the first process to start; startServer waits for it.
    const { ms, overlapped } = await twoTenants(database.url, first);
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
    console.log(`  two tenants x ${COUNT} entries, API + 2 workers: ${(ms / 1000).toFixed(3)} s for both (${overlapped ? "ran in parallel" : "did NOT overlap"})`);
  }
}

await main();
