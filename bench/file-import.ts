// npm run bench, part 2: streamed file imports of docs/performance.md. Each
// run starts a fresh server on an empty SQLite file (or, with
// BENCH_DB=postgres, a fresh PostgreSQL schema) and imports a 1,000,000-row
// CSV file, then a 1,000,000-line NDJSON file of the same assets, streamed
// from disk as a client would upload them. It reports the time to the 202
// (the file read, checked and stored), the time to COMPLETED, rows per
// second, and the server's peak RSS. BENCH_FILE_ROWS, BENCH_FILE_RUNS and
// BENCH_FILE_FORMATS (csv,ndjson) narrow it down.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { FIELDS, entries } from "./dataset.js";
import { createFields, freshDatabase, login, peakRssMb, startServer, waitCompleted } from "./server.js";

const ROWS = Number(process.env.BENCH_FILE_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_FILE_RUNS ?? 2);
const CHUNK = 50_000;
const FORMATS = (process.env.BENCH_FILE_FORMATS ?? "csv,ndjson").split(",") as Array<"csv" | "ndjson">;

/** Writes the dataset as CSV or NDJSON, 50,000 rows at a time. */
async function writeFile(path: string, format: "csv" | "ndjson"): Promise<number> {
  const out = createWriteStream(path);
  const columns = ["id", "name", ...FIELDS.map((f) => f.name)];
  if (format === "csv") out.write(columns.join(",") + "\n");
  for (let start = 0; start < ROWS; start += CHUNK) {
    // Distinct IDs per chunk: the dataset's i restarts at 0 in each.
    const rows = entries(Math.min(CHUNK, ROWS - start), 0).map((row, i): Record<string, unknown> => ({ ...row, id: String(row.id).replace(/\d+$/, String(start + i).padStart(7, "0")) }));
    const text =
      format === "csv"
        ? rows.map((row) => columns.map((c) => csvCell(row[c])).join(",")).join("\n") + "\n"
        : rows.map((row) => JSON.stringify(row)).join("\n") + "\n";
    if (!out.write(text)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return statSync(path).size;
}

function csvCell(value: unknown): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

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
    const sizes = { csv: await writeFile(files.csv.path, "csv"), ndjson: await writeFile(files.ndjson.path, "ndjson") };
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
