import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, type Migration } from "kysely";
import * as initial from "./migrations/001_initial.js";
import type { DB } from "./schema.js";

export type Dialect = "sqlite" | "postgres";

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

// Numbered, forward-only. A migration takes the dialect so that the few
// column types that differ are decided here and nowhere else.
const migrations: Record<string, { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> }> = {
  "001_initial": initial,
};

export interface OpenOptions {
  /**
   * The import worker's connection. Its batch commits skip the fsync
   * (synchronous=NORMAL): a power loss can only lose the last batches'
   * progress, which a restart redoes, since each batch commits its upserts,
   * report rows and counters together. Acceptance of an import goes through
   * the API's connection, which fsyncs every commit.
   */
  worker?: boolean;
}

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    throw new Error("DATABASE_URL: PostgreSQL is not supported yet; give a SQLite file path");
  }
  const database = openSqlite(url, options);
  if (!options.worker) await migrate(database);
  return database;
}

function openSqlite(file: string, options: OpenOptions): Database {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  // FULL: a commit, an accepted import above all, survives power loss.
  sqlite.pragma(options.worker ? "synchronous = NORMAL" : "synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: "sqlite", close: () => db.destroy() };
}

async function migrate(database: Database): Promise<void> {
  const provider = {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(
        Object.entries(migrations).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, database.dialect) }]),
      );
    },
  };
  const { error, results } = await new Migrator({ db: database.db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ""} failed`, { cause: error });
  }
}
