import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { killAllServers } from "./process.js";

/**
 * The backend the suite runs against: SQLite unless ASSETPORT_TEST_DB is
 * `postgres` (the PostgreSQL on 127.0.0.1:5432, database `test`, or
 * ASSETPORT_TEST_PG_URL). Unreachable PostgreSQL fails the tests rather than
 * skipping them; only the PostgreSQL-only tests (faults, several processes)
 * are skipped on SQLite.
 */
export const backend = process.env.ASSETPORT_TEST_DB === "postgres" ? "postgres" : "sqlite";
const PG_URL = process.env.ASSETPORT_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A database of its own for one test: a SQLite file in `dir`, or a fresh PostgreSQL schema. */
export async function createTestDatabase(dir: string): Promise<TestDatabase> {
  if (backend === "sqlite") return { url: join(dir, "assetport.db"), drop: async () => {} };
  const schema = `t_${randomBytes(6).toString("hex")}`;
  await adminQuery(`create schema ${schema}`);
  const url = new URL(PG_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      await adminQuery(`drop schema if exists ${schema} cascade`);
    },
  };
}

export async function adminQuery(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

/**
 * For a test file that starts server processes: a database of its own for
 * the file, and every process it started killed afterwards.
 */
export function useProcessTestDatabase(name: string): { readonly url: string } {
  let dir: string | undefined;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `assetport-${name}-`));
    database = await createTestDatabase(dir);
  });
  afterAll(async () => {
    killAllServers();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get url() {
      if (!database) throw new Error("the test database exists only inside tests");
      return database.url;
    },
  };
}
