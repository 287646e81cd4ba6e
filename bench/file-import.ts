// npm run bench, part 2: streamed file imports of docs/performance.md. Each
// run starts a fresh server on an empty SQLite file (or, with
// BENCH_DB=postgres, a fresh PostgreSQL schema) and imports a 1,000,000-row
// CSV file, then a 1,000,000-line NDJSON file of the same assets, streamed
// from disk as a client would upload them. It reports the time to the 202
// (the file read, checked and stored), the time to COMPLETED, rows per
// second, and the server's peak RSS. BENCH_FILE_ROWS, BENCH_FILE_RUNS and
// BENCH_FILE_FORMATS (csv,ndjson) narrow it down.
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { writeDatasetFile } from "./dataset.js";
import { createFields, freshDatabase, login, peakRssMb, startServer, waitCompleted } from "./server.js";

const ROWS = Number(process.env.BENCH_FILE_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_FILE_RUNS ?? 2);
const FORMATS = (process.env.BENCH_FILE_FORMATS ?? "csv,ndjson").split(",") as Array<"csv" | "ndjson">;

async function timedUpload(base: string, headers: Record<string, string>, path: string, contentType: string, pid: number) {
  const start = performance.now();
  const res = await fetch(`${base}/api/v4/assets-import`, {
    method: "POST",
    headers: { ...headers, "content-type": contentType },
    body: Readable.toWeb(createReadStream(path)) as ReadableStream,
    duplex: "half",
  } as RequestInit);
  if (res.status !== 202) throw new Error(`import refused: ${res.status} ${await res.text()}`);
  const accepted = performance.now() - start;
  const rssAccepted = peakRssMb(pid);
  const { import_id } = (await res.json()) as { import_id: number };
  const status = await waitCompleted(base, headers, import_id);
  return { accepted, rssAccepted, total: performance.now() - start, stats: status.stats };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "assetport-file-bench-"));
  try {
    const files = {
      csv: { path: join(dir, "assets.csv"), type: "text/csv" },
      ndjson: { path: join(dir, "assets.ndjson"), type: "application/x-ndjson" },
    };
    const sizes = { csv: await writeDatasetFile(files.csv.path, "csv", ROWS), ndjson: await writeDatasetFile(files.ndjson.path, "ndjson", ROWS) };
    const results: Record<string, Array<{ accepted: number; total: number; rss: number }>> = { csv: [], ndjson: [] };
    let outcome: Record<string, number> = {};
    for (let run = 1; run <= RUNS; run++) {
      for (const format of FORMATS) {
        const runDir = mkdtempSync(join(tmpdir(), "assetport-file-bench-db-"));
        const database = await freshDatabase(runDir);
        const server = await startServer(database.url, "all", { IMPORT_MAX_FILE_ENTRIES: String(ROWS) });
        try {
          const headers = await login(server.base);
          await createFields(server.base, headers);
          const r = await timedUpload(server.base, headers, files[format].path, files[format].type, server.pid);
          outcome = r.stats;
          const rss = peakRssMb(server.pid);
          results[format]!.push({ accepted: r.accepted, total: r.total, rss });
          console.log(`run ${run} ${format}: 202 after ${(r.accepted / 1000).toFixed(2)} s, COMPLETED after ${(r.total / 1000).toFixed(2)} s, peak RSS ${r.rssAccepted.toFixed(0)} MB at the 202, ${rss.toFixed(0)} MB in all`);
        } finally {
          await server.stop();
          await database.drop();
          rmSync(runDir, { recursive: true, force: true });
        }
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`\nstreamed file imports of ${ROWS} rows, 6 custom fields, ${process.env.BENCH_DB === "postgres" ? "PostgreSQL" : "SQLite"}, median of ${RUNS} runs`);
    console.log(`  outcome: ${JSON.stringify(outcome)}`);
    for (const format of FORMATS) {
      const rs = results[format]!;
      const accepted = median(rs.map((r) => r.accepted));
      const total = median(rs.map((r) => r.total));
      console.log(
        `  ${format.padEnd(6)} ${(sizes[format] / 1e6).toFixed(0)} MB: accepted in ${(accepted / 1000).toFixed(2)} s (${Math.round(ROWS / (accepted / 1000))} rows/s), ` +
          `COMPLETED in ${(total / 1000).toFixed(2)} s (${Math.round(ROWS / (total / 1000))} rows/s end to end), peak RSS ${Math.max(...rs.map((r) => r.rss)).toFixed(0)} MB`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
