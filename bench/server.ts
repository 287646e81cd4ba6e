// What both benchmarks share: a fresh database per run, the real server as a
// child process, login, the benchmark fields, and waiting for an import.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { CATALOG, FIELDS } from "./dataset.js";

const POSTGRES = process.env.BENCH_DB === "postgres";
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const PASSWORD = "bench-password";

export async function pgQuery(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

/** A fresh database for one run: its URL and how to drop it. */
export async function freshDatabase(dir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!POSTGRES) return { url: join(dir, "bench.db"), drop: async () => {} };
  const schema = `bench_${randomBytes(4).toString("hex")}`;
  await pgQuery(PG_URL, `create schema ${schema}`);
  const url = new URL(PG_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return { url: url.toString(), drop: async () => void (await pgQuery(PG_URL, `drop schema ${schema} cascade`)) };
}

export interface Server {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startServer(url: string, role = "all", env: Record<string, string> = {}): Promise<Server> {
  const child = spawn("node", [...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []), "dist-bench/src/server.js"], {
    // The clients here send far more than a person would: a limit they never
    // reach keeps the limiter's counting in what is measured without refusing them.
    env: { RATE_LIMIT_PER_MINUTE: "1000000000", ...process.env, PORT: "0", LOG_LEVEL: "info", DATABASE_URL: url, ADMIN_PASSWORD: PASSWORD, ROLE: role, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      if (out.includes('"msg":"service ready"')) resolve(/Server listening at (http:\/\/[\d.:]+)/.exec(out)?.[1] ?? "");
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
export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m![1]) / 1024;
}

export async function login(base: string, username = "admin"): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/v4/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  return { authorization: `Bearer ${token}`, "content-type": "application/json" };
}

export async function createFields(base: string, headers: Record<string, string>): Promise<void> {
  for (const field of FIELDS) await fetch(`${base}/api/v4/asset-fields`, { method: "POST", headers, body: JSON.stringify(field) });
}

/** The categorised runs' sites, status set and categories. */
export async function createCatalog(base: string, headers: Record<string, string>): Promise<void> {
  const send = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  };
  await send("/api/v4/status-sets", CATALOG.statusSet);
  for (const category of CATALOG.categories) await send("/api/v4/categories", category);
  for (const site of CATALOG.sites) await send("/api/v4/sites", site);
}

export async function waitCompleted(base: string, headers: Record<string, string>, importId: number) {
  for (;;) {
    const status = (await (await fetch(`${base}/api/v4/assets-import/${importId}`, { headers })).json()) as {
      status: string;
      stats: Record<string, number>;
      import_started_at: string;
      import_ended_at: string;
    };
    if (status.status === "COMPLETED") return status;
    if (status.status === "FAILED") throw new Error(`import ${importId} failed`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

