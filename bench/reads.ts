// npm run bench, part 3: reads over 1,000,000 assets (docs/performance.md).
// A fresh server imports the benchmark dataset as CSV, three fields are then
// declared indexed (the time each index takes to build is reported), and
// each query shape runs for BENCH_QUERY_SECONDS under BENCH_QUERY_CONCURRENCY
// concurrent clients over HTTP: p50, p99 and requests per second. Then every
// asset is exported in each format (BENCH_EXPORT_FORMATS): rows per second,
// and the server's largest resident memory while it streamed.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeDatasetFile } from "./dataset.js";
import { createFields, freshDatabase, login, pgQuery, startServer, waitCompleted } from "./server.js";

const EXPORT_FORMATS = (process.env.BENCH_EXPORT_FORMATS ?? "json,ndjson,csv,xlsx").split(",");

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m![1]) / 1024;
}

/** Downloads an export, counting its bytes, while sampling the server's memory. */
async function timedExport(base: string, headers: Record<string, string>, format: string, pid: number) {
  let peak = rssMb(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
  const start = performance.now();
  const res = await fetch(`${base}/api/v4/assets-export?format=${format}`, { headers });
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  return { seconds, bytes, peak, status: res.status };
}

const ROWS = Number(process.env.BENCH_QUERY_ROWS ?? 1_000_000);
const CONCURRENCY = Number(process.env.BENCH_QUERY_CONCURRENCY ?? 4);
const SECONDS = Number(process.env.BENCH_QUERY_SECONDS ?? 10);
const INDEXED = ["colour", "purchased", "price"];

interface Shape {
  name: string;
  /** The next URL a client asks for; `previous` is its last answer (cursor paging). */
  next(previous: { next_cursor?: string | null } | undefined): string;
}

const list = "/api/v4/assets?limit=50";
const SHAPES: Shape[] = [
  {
    name: "equality filter, sorted by another field, page 1 with totals (the count is cached after the first request)",
    next: () => `${list}&filter[colour]=Red&order=purchased&orderdesc=true`,
  },
  {
    name: "equality filter, sorted by another field, cursor paging from the start (no totals)",
    next: (previous) => `${list}&filter[colour]=Red&order=purchased&orderdesc=true&cursor=${previous?.next_cursor ? encodeURIComponent(previous.next_cursor) : ""}`,
  },
  {
    name: "range filter (a new range each request, so every count is computed) sorted by the same field, page 1 with totals",
    next: () => {
      const from = Math.floor(Math.random() * 900);
      return `${list}&filter[price][gte]=${from}&filter[price][lt]=${from + 100}&order=price`;
    },
  },
  {
    name: "equality filter, sorted by another field, cursor paging 100 pages deep and again",
    next: (previous) => `${list}&filter[colour]=Blue&order=price&cursor=${previous?.next_cursor ? encodeURIComponent(previous.next_cursor) : ""}`,
  },
  { name: "no filter, ID order, a random page of the first 19,800 with totals", next: () => `${list}&page=${1 + Math.floor(Math.random() * 19_800)}` },
  // The dashboard's counts (GET /asset-stats): kept like the list's totals, and computed afresh.
  { name: "asset-stats by colour (indexed Select), all assets (kept after the first request)", next: () => "/api/v4/asset-stats?group_by=colour" },
  { name: "asset-stats by in_service (Checkbox, not indexed), all assets (kept after the first request)", next: () => "/api/v4/asset-stats?group_by=in_service" },
  {
    name: "asset-stats by colour over a range filter (a new range each request, so every count is computed)",
    next: () => {
      const from = Math.floor(Math.random() * 900);
      return `/api/v4/asset-stats?group_by=colour&filter[price][gte]=${from}&filter[price][lt]=${from + 100}`;
    },
  },
];

async function load(base: string, headers: Record<string, string>, shape: Shape) {
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      let previous: { next_cursor?: string | null } | undefined;
      let depth = 0;
      while (performance.now() < end) {
        const url = shape.next(previous);
        const start = performance.now();
        const res = await fetch(`${base}${url}`, { headers });
        const body = (await res.json()) as { next_cursor?: string | null; count?: number; groups?: unknown[] };
        latencies.push(performance.now() - start);
        if (res.status !== 200 || (body.count ?? body.groups?.length) === 0) throw new Error(`${url}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
        depth++;
        previous = depth % 100 === 0 ? undefined : body;
      }
    }),
  );
  // The first answer, before anything is kept (each client's first request is among the earliest).
  const first = Math.max(...latencies.slice(0, 1));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { first, p50: at(0.5), p99: at(0.99), rps: latencies.length / SECONDS };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "assetport-bench-query-"));
  const database = await freshDatabase(dir);
  const file = join(dir, "assets.csv");
  await writeDatasetFile(file, "csv", ROWS);
  const server = await startServer(database.url, "all", { IMPORT_MAX_FILE_ENTRIES: String(ROWS) });
  try {
    const api = server.base;
    const headers = await login(api);
    await createFields(api, headers);
    let start = performance.now();
    const res = await fetch(`${api}/api/v4/assets-import`, { method: "POST", headers: { ...headers, "content-type": "text/csv" }, body: readFileSync(file) });
    const { import_id } = (await res.json()) as { import_id: number };
    await waitCompleted(api, headers, import_id);
    console.log(`\nqueries over ${ROWS} assets, ${process.env.BENCH_DB === "postgres" ? "PostgreSQL" : "SQLite"}, ${CONCURRENCY} concurrent clients, ${SECONDS} s per shape`);
    console.log(`  imported in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    if (process.env.BENCH_DB === "postgres") {
      // What autovacuum does after a bulk load, within a minute or so: it
      // marks pages all-visible, without which counts read every matching row.
      start = performance.now();
      await pgQuery(database.url, "vacuum analyze assets");
      console.log(`  vacuum analyze (as autovacuum would) in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    }
    for (const name of INDEXED) {
      start = performance.now();
      const patched = await fetch(`${api}/api/v4/asset-fields/${name}`, { method: "PATCH", headers, body: JSON.stringify({ indexed: true }) });
      if (patched.status !== 200) throw new Error(`indexing ${name}: ${patched.status} ${await patched.text()}`);
      console.log(`  index on ${name} built in ${((performance.now() - start) / 1000).toFixed(2)} s`);
    }
    for (const shape of SHAPES) {
      const { first, p50, p99, rps } = await load(server.base, headers, shape);
      console.log(`  ${shape.name}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ${rps.toFixed(0)} requests/s (first answer ${first.toFixed(1)} ms)`);
    }
    const total = ((await (await fetch(`${api}/api/v4/assets?limit=1`, { headers })).json()) as { total_count: number }).total_count;
    const before = rssMb(server.pid);
    for (const format of EXPORT_FORMATS) {
      const { seconds, bytes, peak, status } = await timedExport(api, headers, format, server.pid);
      if (status !== 200) throw new Error(`export ${format}: ${status}`);
      console.log(
        `  export ${format.padEnd(6)} ${total} assets, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} rows/s, ` +
          `server RSS ${before.toFixed(0)} MB before, at most ${peak.toFixed(0)} MB while streaming`,
      );
    }
  } finally {
    await server.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
