import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type Migration,
} from "kysely";
import pg from "pg";
import * as initial from "./migrations/001_initial.js";
import * as importLeases from "./migrations/002_import_leases.js";
import * as importOptions from "./migrations/003_import_options.js";
import * as assetsApi from "./migrations/004_assets_api.js";
import * as accessControl from "./migrations/005_access_control.js";
import * as sites from "./migrations/006_sites.js";
import * as categories from "./migrations/007_categories.js";
import * as assetModel from "./migrations/008_asset_model.js";
import * as categoryFieldOrder from "./migrations/009_category_field_order.js";
import * as importDetail from "./migrations/010_import_detail.js";
import * as latestChangeSite from "./migrations/011_latest_change_site.js";
import type { DB } from "./schema.js";

export type Dialect = "sqlite" | "postgres";

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /**
   * Calls `onImport` whenever any process accepts an import (PostgreSQL
   * LISTEN/NOTIFY); returns a function that stops listening. On SQLite it
   * does nothing: the one process's worker is woken in process.
   */
  listenForImports(onImport: () => void): () => Promise<void>;
  close(): Promise<void>;
}

export const IMPORTS_CHANNEL = "assetport_imports";

// Numbered, forward-only. A migration takes the dialect so that the few
// column types that differ are decided here and nowhere else.
const migrations: Record<string, { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> }> = {
  "001_initial": initial,
  "002_import_leases": importLeases,
  "003_import_options": importOptions,
  "004_assets_api": assetsApi,
  "005_access_control": accessControl,
  "006_sites": sites,
  "007_categories": categories,
  "008_asset_model": assetModel,
  "009_category_field_order": categoryFieldOrder,
  "010_import_detail": importDetail,
  "011_latest_change_site": latestChangeSite,
};

export interface OpenOptions {
  /**
   * The import worker's connection. Its batch commits do not wait for the
   * fsync (SQLite synchronous=NORMAL, PostgreSQL synchronous_commit=off): a
   * power loss can only lose the last batches' progress, which a restart
   * redoes, since each batch commits its upserts, report rows and counters
   * together. Acceptance of an import goes through the API's connection,
   * which waits for every commit to be durable.
   */
  worker?: boolean;
  /**
   * The import lease (ms). On PostgreSQL a worker's transaction left idle
   * longer than this (a frozen or cut-off process) is ended by the server,
   * which frees its row lock so that another worker can take the import over.
   */
  leaseMs?: number;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const database = isPostgresUrl(url) ? openPostgres(url, options) : openSqlite(url, options);
  if (options.worker) return database;
  // Processes that start together race to create the migration tables (a
  // CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL's catalog);
  // the loser tries again once the winner has finished.
  for (let attempt = 1; ; attempt++) {
    try {
      await migrate(database);
      return database;
    } catch (err) {
      if (attempt >= 5) {
        await database.close();
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

// BIGINT (times in ms, counts) as numbers: every value stored fits in 2^53.
// JSON stays text, as SQLite returns it, so one code path reads both.
const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    if (oid === pg.types.builtins.JSONB || oid === pg.types.builtins.JSON) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

function openPostgres(url: string, options: OpenOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.worker ? 2 : 10,
    types: pgTypes,
    connectionTimeoutMillis: 5000,
    // A database that stops answering (packets lost, not refused) must not
    // hang requests or hold locks: the server ends long statements and idle
    // transactions, the client gives up on a query, TCP keepalive notices a
    // dead peer.
    statement_timeout: 60_000,
    query_timeout: 65_000,
    idle_in_transaction_session_timeout: options.worker ? Math.max(1000, Math.round(options.leaseMs ?? 10_000)) : 60_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // A backend that dies (network cut, restart, pg_terminate_backend) makes
  // its client emit 'error', idle or in use; unhandled, that would end the
  // process. The query in flight fails (503), the pool drops the client and
  // the next query opens a new one.
  pool.on("error", () => {});
  pool.on("connect", (client) => {
    client.on("error", () => {});
    // The worker's batches, like SQLite's synchronous=NORMAL: a database
    // crash can only lose the last batches' progress, which a restart redoes.
    if (options.worker) void client.query("set synchronous_commit = off").catch(() => {});
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", listenForImports: (onImport) => listen(url, onImport), close: () => db.destroy() };
}

/** A dedicated connection that LISTENs, reconnecting after an outage. */
function listen(url: string, onImport: () => void): () => Promise<void> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = () => {
    const c = new pg.Client({ connectionString: url });
    client = c;
    const reconnect = () => {
      c.removeAllListeners();
      void c.end().catch(() => {});
      if (!stopped) retry = setTimeout(connect, 1000);
    };
    c.on("notification", () => onImport());
    c.on("error", reconnect);
    c.connect()
      .then(() => c.query(`listen ${IMPORTS_CHANNEL}`))
      // Imports accepted while disconnected are found by the worker's poll.
      .then(() => onImport())
      .catch(reconnect);
  };
  connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}

function openSqlite(file: string, options: OpenOptions): Database {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  // FULL: a commit, an accepted import above all, survives power loss.
  sqlite.pragma(options.worker ? "synchronous = NORMAL" : "synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // SQLite's lower() folds ASCII only; searches fold case as JavaScript does.
  sqlite.function("unicode_lower", { deterministic: true }, (value: unknown) => (typeof value === "string" ? value.toLowerCase() : value));
  const db = new Kysely<DB>({ dialect: writerFirstSqlite(sqlite) });
  return { db, dialect: "sqlite", listenForImports: () => async () => {}, close: () => db.destroy() };
}

/**
 * Kysely's SQLite dialect, with every transaction begun as a writer (BEGIN
 * IMMEDIATE). In WAL mode a deferred transaction that reads and then writes
 * cannot wait for the write lock: when the other connection (the import
 * worker's) has committed in between, SQLite answers SQLITE_BUSY at once,
 * busy_timeout or not, and an upload got a 503. Taken at BEGIN, the lock is
 * waited for. Every transaction here writes, so none is made a writer for
 * nothing.
 */
function writerFirstSqlite(database: SQLite.Database): KyselyDialect {
  class WriterFirstDriver extends SqliteDriver {
    override async beginTransaction(connection: DatabaseConnection): Promise<void> {
      await connection.executeQuery(CompiledQuery.raw("begin immediate"));
    }
  }
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new WriterFirstDriver({ database }),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

async function migrate(database: Database): Promise<void> {
  const provider = {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(
        Object.entries(migrations).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, database.dialect) }]),
      );
    },
  };
  // On PostgreSQL the migration tables live in the connection's schema
  // (search_path); Kysely would otherwise find another schema's table.
  const schema =
    database.dialect === "postgres" ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db: database.db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`database migration ${failed?.migrationName ?? ""} failed: ${reason}`, { cause: error });
  }
}
