import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import { joinAttributes, type AttributeColumns, type Classification } from "../assets/attributes.js";
import { upsertStates } from "./asset-writes.js";
import { catalogVersion } from "./catalog.js";
import type { AssetWrite, StoredAsset } from "../import/plan-writes.js";
import { lockTenantChanges, recordChanges } from "./asset-changes.js";
import { parseStoredOptions } from "../import/options.js";
import { IMPORTS_CHANNEL, type Database } from "./database.js";
import { isUniqueViolation } from "./errors.js";
import { toStoredField } from "./fields.js";
import { createImportReport } from "./import-report.js";
import type { DB, ImportsTable } from "./schema.js";

export type ImportRow = Selectable<ImportsTable>;

/** A stored report row: a warning, or an entry's failure. */
export interface ReportRow {
  entry_num: number;
  seq: number;
  status: "WARNING" | "FAILED";
  message: string | null;
  /** The entry's line or row in its file. */
  location?: number;
  /** The entry key (file column) the message is about, as sent. */
  key?: string;
  /** That key's value as sent, as text. */
  value?: string;
}

export interface StoredPayload {
  first_entry_num: number;
  entry_count: number;
  /** A JSON array of the entries. */
  entries: string;
  locations: string | null;
  problems: string | null;
}

export interface BatchResult {
  importId: number;
  tenantId: number;
  /** The worker holding the import's lease; the lease is extended by `leaseMs`. */
  owner: string;
  leaseMs: number;
  actor: string;
  now: number;
  /** processed_count before this batch; the write is refused if another run moved it. */
  processedBefore: number;
  processedAfter: number;
  /** The import's total_count: the batch that reaches it ends the pass. */
  totalCount: number;
  /** The IDs whose stored state the plan needs. */
  ids: string[];
  /** Turns the stored assets into the writes and the batch's action letters. */
  plan(stored: ReadonlyMap<string, StoredAsset>): { writes: AssetWrite[]; actions: string };
  /** false in a validation pass (a dry run, or all_or_none's first pass). */
  write: boolean;
  /** all_or_none: a validation pass without failures is followed by the writing pass... */
  allOrNone: boolean;
  /** ...unless it is a dry run, which only validates. */
  dryRun: boolean;
  report: ReportRow[];
  success: number;
  failed: number;
  warned: number;
  /** The tenant's fields the batch was validated against (fieldsFingerprint). */
  fieldsFingerprint: string;
  /** The tenant's catalog_version the batch was validated against. */
  catalogVersion: number;
}

/** Thrown by a batch's plan when what its validation assumed about stored assets no longer holds: the batch is validated again. */
export class StaleBatch extends Error {}

/** What the worker does after a batch. */
export type BatchCommit = "continue" | "ended" | "next-pass" | "cancelled" | "moved-on" | "fields-changed";

/** What the batch's validation depended on: each field's name and definition. */
export function fieldsFingerprint(fields: ReadonlyArray<{ name: string; type: string; options?: readonly string[]; precision?: number }>): string {
  return JSON.stringify(fields.map((f) => [f.name, f.type, f.options ?? null, f.precision ?? null]).sort());
}

/** An all_or_none import that is already writing: the caller answers 409. */
export class CancelRefused extends Error {}

/** Same key, another request: the caller answers 422. */
export class IdempotencyKeyReused extends Error {}

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
/** A streamed upload not heard from for this long is abandoned. */
const RECEIVING_LEASE_MS = 10 * 60 * 1000;

export interface NewImport {
  tenantId: number;
  idMappingField: string | null;
  nameMappingField: string | null;
  createdBy: string;
  now: number;
  format: string;
  /** JSON of ImportOptions. */
  options: string;
  /** A dry run or all_or_none starts with a validation pass. */
  validateFirst: boolean;
  dryRun: boolean;
  /** The file's name, as the client gave it. */
  sourceName: string | null;
}

export interface Idempotency {
  key: string;
  requestHash: string;
}

export function createImportsRepository(database: Database) {
  const { db } = database;
  const visible = () => db.selectFrom("imports").selectAll().where("status", "<>", "RECEIVING");
  const queueOrder = (tenantId: number) => sql<number>`(select coalesce(max(q.queue_seq), 0) + 1 from imports as q where q.tenant_id = ${tenantId})`;

  async function notify(trx: Kysely<DB>, importId: number) {
    // Delivered to listening workers when the transaction commits.
    if (database.dialect === "postgres") await sql`select pg_notify(${IMPORTS_CHANNEL}, ${String(importId)})`.execute(trx);
  }

  /**
   * Records `key` for the import being accepted, or returns the import an
   * earlier request with the same key and body started (within 24 hours).
   */
  async function claimKey(trx: Kysely<DB>, tenantId: number, idem: Idempotency, importId: number, now: number): Promise<ImportRow | undefined> {
    const earlier = await trx.selectFrom("import_idempotency_keys").selectAll().where("tenant_id", "=", tenantId).where("key", "=", idem.key).executeTakeFirst();
    if (earlier && earlier.created_at > now - IDEMPOTENCY_WINDOW_MS) {
      if (earlier.request_hash !== idem.requestHash) throw new IdempotencyKeyReused();
      return trx.selectFrom("imports").selectAll().where("id", "=", earlier.import_id).executeTakeFirstOrThrow();
    }
    if (earlier) await trx.deleteFrom("import_idempotency_keys").where("tenant_id", "=", tenantId).where("key", "=", idem.key).execute();
    await trx.insertInto("import_idempotency_keys").values({ tenant_id: tenantId, key: idem.key, request_hash: idem.requestHash, import_id: importId, created_at: now }).execute();
    return undefined;
  }

  /** A concurrent request with the same key won the insert: answer as it did. */
  async function afterKeyRace<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return run();
    }
  }

  /** The action counters of an import that has (or has now) imported nothing. */
  const NO_ACTIONS = { created_count: 0, updated_count: 0, unchanged_count: 0 };

  function newImportValues(input: NewImport, status: string, totalCount: number) {
    return {
      tenant_id: input.tenantId,
      status,
      id_mapping_field: input.idMappingField,
      name_mapping_field: input.nameMappingField,
      total_count: totalCount,
      created_by: input.createdBy,
      created_at: input.now,
      format: input.format,
      options: input.options,
      pass: input.validateFirst ? "validate" : "apply",
      dry_run: input.dryRun ? 1 : 0,
      source_name: input.sourceName,
      ...NO_ACTIONS,
    };
  }

  const report = createImportReport(db, database.dialect);

  return {
    ...report,

    /**
     * The import and all of its entries in one transaction: durable before
     * the 202. With an idempotency key seen before, nothing is created and
     * the earlier import comes back with `replayed`.
     */
    async create(input: NewImport & { payloads: StoredPayload[]; idempotency?: Idempotency }): Promise<{ row: ImportRow; replayed: boolean }> {
      return afterKeyRace(() =>
        db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto("imports")
            .values({ ...newImportValues(input, "NOT_STARTED", input.payloads.reduce((n, p) => n + p.entry_count, 0)), queue_seq: queueOrder(input.tenantId) })
            .returningAll()
            .executeTakeFirstOrThrow();
          if (input.idempotency) {
            const earlier = await claimKey(trx, input.tenantId, input.idempotency, row.id, input.now);
            if (earlier) {
              await trx.deleteFrom("imports").where("id", "=", row.id).execute();
              return { row: earlier, replayed: true };
            }
          }
          for (const payload of input.payloads) await trx.insertInto("import_payloads").values({ import_id: row.id, ...payload }).execute();
          await notify(trx, row.id);
          return { row, replayed: false };
        }),
      );
    },

    /**
     * Starts receiving a streamed file: the import exists, invisible and out
     * of the queue, while its entries are stored chunk by chunk; `accept`
     * queues it once the whole file has been read.
     */
    begin(input: NewImport): Promise<ImportRow> {
      return db
        .insertInto("imports")
        .values({ ...newImportValues(input, "RECEIVING", 0), lease_expires_at: input.now + RECEIVING_LEASE_MS })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    async appendPayload(importId: number, payload: StoredPayload, now: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto("import_payloads").values({ import_id: importId, ...payload }).execute();
        await trx.updateTable("imports").set({ lease_expires_at: now + RECEIVING_LEASE_MS }).where("id", "=", importId).execute();
      });
    },

    async accept(importId: number, tenantId: number, totalCount: number, now: number, idempotency?: Idempotency): Promise<{ row: ImportRow; replayed: boolean }> {
      return afterKeyRace(() =>
        db.transaction().execute(async (trx) => {
          if (idempotency) {
            const earlier = await claimKey(trx, tenantId, idempotency, importId, now);
            if (earlier) return { row: earlier, replayed: true };
          }
          const row = await trx
            .updateTable("imports")
            .set({ status: "NOT_STARTED", total_count: totalCount, queue_seq: queueOrder(tenantId), lease_expires_at: null })
            .where("id", "=", importId)
            .where("status", "=", "RECEIVING")
            .returningAll()
            .executeTakeFirstOrThrow();
          await notify(trx, row.id);
          return { row, replayed: false };
        }),
      );
    },

    /** Drops an upload that was refused or replaced by an idempotent replay. */
    async discardReceived(importId: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("import_payloads").where("import_id", "=", importId).execute();
        await trx.deleteFrom("imports").where("id", "=", importId).where("status", "=", "RECEIVING").execute();
      });
    },

    get(tenantId: number, importId: number): Promise<ImportRow | undefined> {
      return visible().where("tenant_id", "=", tenantId).where("id", "=", importId).executeTakeFirst();
    },

    latest(tenantId: number): Promise<ImportRow | undefined> {
      return visible().where("tenant_id", "=", tenantId).orderBy("queue_seq", "desc").orderBy("id", "desc").limit(1).executeTakeFirst();
    },

    /** Newest first. */
    async list(tenantId: number, filter: { status?: string; dryRun?: boolean }, offset: number, limit: number): Promise<{ rows: ImportRow[]; total: number }> {
      let query = visible().where("tenant_id", "=", tenantId);
      if (filter.status !== undefined) query = query.where("status", "=", filter.status);
      if (filter.dryRun !== undefined) query = query.where("dry_run", "=", filter.dryRun ? 1 : 0);
      const [rows, count] = await Promise.all([
        query.orderBy("queue_seq", "desc").orderBy("id", "desc").limit(limit).offset(offset).execute(),
        query.clearSelect().select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },

    /**
     * Cancels an import: one still waiting ends at once; a running one is
     * flagged, and its worker stops before the next batch (applyBatch).
     */
    async requestCancel(tenantId: number, importId: number, now: number, allOrNone: boolean): Promise<ImportRow | undefined> {
      return db.transaction().execute(async (trx) => {
        await trx
          .updateTable("imports")
          .set((eb) => ({ status: "CANCELLED", ended_at: now, started_at: eb.fn.coalesce("started_at", sql<number>`cast(${now} as bigint)`), failed_count: eb.ref("total_count") }))
          .where("tenant_id", "=", tenantId)
          .where("id", "=", importId)
          .where("status", "=", "NOT_STARTED")
          .execute();
        // all_or_none promises never to end half-applied: once its writing
        // pass has begun, it runs to the end.
        let running = trx.updateTable("imports").set({ cancel_requested: 1 }).where("tenant_id", "=", tenantId).where("id", "=", importId).where("status", "=", "RUNNING");
        if (allOrNone) running = running.where("pass", "=", "validate");
        const flagged = await running.executeTakeFirst();
        if (flagged.numUpdatedRows === 0n && allOrNone) {
          const row = await trx.selectFrom("imports").select(["status", "pass"]).where("id", "=", importId).executeTakeFirst();
          if (row?.status === "RUNNING" && row.pass === "apply") throw new CancelRefused();
        }
        return trx.selectFrom("imports").selectAll().where("tenant_id", "=", tenantId).where("id", "=", importId).where("status", "<>", "RECEIVING").executeTakeFirst();
      });
    },

    /**
     * Claims the next import to run and leases it to `owner`: the first in
     * queue order of a tenant whose earlier imports have all ended, that no
     * live lease holds. So a tenant's imports run one at a time in
     * acceptance order, while other tenants' imports can run on other
     * workers. SKIP LOCKED lets concurrent workers pass over a row another is
     * claiming instead of waiting for it.
     */
    async claimNext(owner: string, now: number, leaseMs: number): Promise<ImportRow | undefined> {
      const skipLocked = database.dialect === "postgres" ? sql`for update skip locked` : sql``;
      const result = await sql<ImportRow>`
        update imports set
          status = 'RUNNING',
          started_at = coalesce(started_at, cast(${now} as bigint)),
          lease_owner = ${owner},
          lease_expires_at = cast(${now + leaseMs} as bigint)
        where id = (
          select i.id from imports as i
          where i.status in ('NOT_STARTED', 'RUNNING')
            and (i.lease_expires_at is null or i.lease_expires_at < ${now})
            and not exists (
              select 1 from imports as earlier
              where earlier.tenant_id = i.tenant_id and earlier.status in ('NOT_STARTED', 'RUNNING')
                and (earlier.queue_seq < i.queue_seq or (earlier.queue_seq = i.queue_seq and earlier.id < i.id))
            )
          order by i.queue_seq, i.id
          limit 1
          ${skipLocked}
        )
        returning *
      `.execute(db);
      return result.rows[0];
    },

    /** Extends the lease; false if `owner` no longer holds it. */
    async extendLease(importId: number, owner: string, expiresAt: number): Promise<boolean> {
      const result = await db.updateTable("imports").set({ lease_expires_at: expiresAt }).where("id", "=", importId).where("lease_owner", "=", owner).executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /** Gives the import back to the queue (a worker that stops mid-import). */
    async releaseLease(importId: number, owner: string): Promise<void> {
      await db.updateTable("imports").set({ lease_owner: null, lease_expires_at: null }).where("id", "=", importId).where("lease_owner", "=", owner).execute();
    },

    /** The stored payload holding entry `entryNum`, if any. */
    payloadContaining(importId: number, entryNum: number): Promise<StoredPayload | undefined> {
      return db
        .selectFrom("import_payloads")
        .select(["first_entry_num", "entry_count", "entries", "locations", "problems"])
        .where("import_id", "=", importId)
        .where("first_entry_num", "<=", entryNum)
        .orderBy("first_entry_num", "desc")
        .limit(1)
        .executeTakeFirst()
        .then((row) => (row && row.first_entry_num + row.entry_count > entryNum ? row : undefined));
    },

    /** Payloads holding entries 1..processed (to rebuild state after a restart). */
    processedPayloads(importId: number, processed: number): Promise<StoredPayload[]> {
      return db
        .selectFrom("import_payloads")
        .select(["first_entry_num", "entry_count", "entries", "locations", "problems"])
        .where("import_id", "=", importId)
        .where("first_entry_num", "<=", processed)
        .orderBy("first_entry_num")
        .execute();
    },

    async failedEntryNums(importId: number): Promise<Set<number>> {
      const rows = await db.selectFrom("import_report").select("entry_num").where("import_id", "=", importId).where("status", "=", "FAILED").execute();
      return new Set(rows.map((r) => r.entry_num));
    },

    /**
     * Applies one batch: the asset writes, its report rows, its actions and
     * the progress counters commit together, so a restart resumes after the
     * last batch. Writes nothing if the import moved on meanwhile or another
     * worker took its lease over, or if the tenant's fields changed since
     * validation. A cancel request ends the import here, before the batch.
     */
    async applyBatch(batch: BatchResult): Promise<BatchCommit> {
      const fieldsChanged = new Error("fields changed");
      try {
        return await db.transaction().execute(async (trx): Promise<BatchCommit> => {
          const progressed = await trx
            .updateTable("imports")
            .set((eb) => ({
              processed_count: batch.processedAfter,
              success_count: eb("success_count", "+", batch.success),
              failed_count: eb("failed_count", "+", batch.failed),
              warning_count: eb("warning_count", "+", batch.warned),
              attempts: 0,
              lease_expires_at: batch.now + batch.leaseMs,
            }))
            .where("id", "=", batch.importId)
            .where("processed_count", "=", batch.processedBefore)
            .where("lease_owner", "=", batch.owner)
            .where("cancel_requested", "=", 0)
            .executeTakeFirst();
          if (progressed.numUpdatedRows !== 1n) return (await cancelHeld(trx, batch)) ? "cancelled" : "moved-on";
          // Asset writers of a tenant take turns (storage/asset-changes.ts).
          const lastSeq = batch.write ? await lockTenantChanges(trx, batch.tenantId) : 0;
          // A field deleted or changed since the batch was validated: do not
          // write values it no longer allows. On PostgreSQL the share lock
          // waits for such a change in flight (it locks the field row first);
          // on SQLite the write above already holds the database's lock.
          let current = trx.selectFrom("asset_fields").selectAll().where("tenant_id", "=", batch.tenantId);
          if (database.dialect === "postgres") current = current.forShare();
          if (fieldsFingerprint((await current.execute()).map(toStoredField)) !== batch.fieldsFingerprint) throw fieldsChanged;
          // Likewise the catalog (sites, categories, status sets): its changes take the tenant's lock, which writes already hold.
          if ((await catalogVersion(trx, batch.tenantId)) !== batch.catalogVersion) throw fieldsChanged;

          const stored = await readAssets(trx, batch.tenantId, batch.ids);
          const { writes, actions } = batch.plan(stored);
          if (batch.write && writes.length > 0) await writeAssets(trx, batch, writes, lastSeq);
          if (batch.report.length > 0) await insertReport(trx, batch.importId, batch.report);
          await trx.insertInto("import_actions").values({ import_id: batch.importId, first_entry_num: batch.processedBefore + 1, actions }).execute();
          const counted = countActions(actions);
          await trx
            .updateTable("imports")
            .set((eb) => ({
              created_count: eb("created_count", "+", counted.c),
              updated_count: eb("updated_count", "+", counted.u),
              unchanged_count: eb("unchanged_count", "+", counted.n),
            }))
            .where("id", "=", batch.importId)
            .execute();
          if (batch.processedAfter < batch.totalCount) return "continue";
          return endPass(trx, batch);
        });
      } catch (err) {
        if (err === fieldsChanged || err instanceof StaleBatch) return "fields-changed";
        throw err;
      }
    },

    /** Counts a failed attempt; returns how many attempts have failed in a row. */
    async recordAttemptFailure(importId: number): Promise<number> {
      const row = await db
        .updateTable("imports")
        .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
        .where("id", "=", importId)
        .returning("attempts")
        .executeTakeFirstOrThrow();
      return row.attempts;
    },

    /**
     * Gives up: the entries not processed count as failed (the report
     * derives their rows). An all_or_none import that fails before writing
     * has imported nothing, so all of its entries do.
     */
    async fail(importId: number, error: string, now: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom("imports").select(["pass", "options"]).where("id", "=", importId).executeTakeFirstOrThrow();
        const nothingWritten = row.pass === "validate" && !parseStoredOptions(row.options).dry_run;
        await trx
          .updateTable("imports")
          .set((eb) => ({
            status: "FAILED",
            error,
            ended_at: now,
            lease_owner: null,
            lease_expires_at: null,
            ...(nothingWritten
              ? { processed_count: 0, success_count: 0, warning_count: 0, failed_count: eb.ref("total_count"), ...NO_ACTIONS }
              : { failed_count: sql<number>`${eb.ref("failed_count")} + ${eb.ref("total_count")} - ${eb.ref("processed_count")}` }),
          }))
          .where("id", "=", importId)
          .execute();
        if (nothingWritten) await forgetValidation(trx, importId);
      });
    },

    /**
     * Housekeeping: the stored entries of imports that ended before
     * `endedBefore` (the report and actions stay), and uploads abandoned
     * mid-stream.
     */
    async purge(now: number, endedBefore: number): Promise<void> {
      const ended = db.selectFrom("imports").select("id").where("ended_at", "<", endedBefore);
      await db.deleteFrom("import_payloads").where("import_id", "in", ended).execute();
      const abandoned = db.selectFrom("imports").select("id").where("status", "=", "RECEIVING").where("lease_expires_at", "<", now);
      await db.deleteFrom("import_payloads").where("import_id", "in", abandoned).execute();
      await db.deleteFrom("imports").where("status", "=", "RECEIVING").where("lease_expires_at", "<", now).execute();
      await db.deleteFrom("import_idempotency_keys").where("created_at", "<", now - IDEMPOTENCY_WINDOW_MS).execute();
    },

    /** The category and status of those of `ids` that exist (what a batch's entries are checked against). */
    async classifications(tenantId: number, ids: string[]): Promise<Map<string, Classification>> {
      const found = new Map<string, Classification>();
      if (ids.length === 0) return found;
      const idList = database.dialect === "postgres" ? sql`select unnest(cast(${ids} as text[]))` : sql`select value from json_each(${JSON.stringify(ids)})`;
      const rows = await sql<{ id: string; category_id: string | null; status_id: string | null }>`
        select id, category_id, status_id from assets where tenant_id = ${tenantId} and id in (${idList})
      `.execute(db);
      for (const row of rows.rows) found.set(row.id, { category: row.category_id, status: row.status_id });
      return found;
    },

    /** The stored state of some of a tenant's assets (a resumed dry run replays its batches on them). */
    storedAssets(tenantId: number, ids: string[]): Promise<Map<string, StoredAsset>> {
      return readAssets(db, tenantId, ids);
    },

    /** Whether the import's entries are still stored (they are purged some time after it ends). */
    async hasPayloads(importId: number): Promise<boolean> {
      return (await db.selectFrom("import_payloads").select("first_entry_num").where("import_id", "=", importId).limit(1).executeTakeFirst()) !== undefined;
    },
  };

  /** Drops a validation pass's report and actions: its entries were not imported. */
  async function forgetValidation(trx: Kysely<DB>, importId: number): Promise<void> {
    await trx.deleteFrom("import_report").where("import_id", "=", importId).execute();
    await trx.deleteFrom("import_actions").where("import_id", "=", importId).execute();
  }

  async function cancelHeld(trx: Transaction<DB>, batch: BatchResult): Promise<boolean> {
    // all_or_none cancelled in its validation pass imported nothing: every
    // entry counts as not processed, and the validation report goes.
    const nothingWritten = !batch.write && !batch.dryRun;
    const result = await trx
      .updateTable("imports")
      .set((eb) => ({
        status: "CANCELLED",
        ended_at: batch.now,
        lease_owner: null,
        lease_expires_at: null,
        ...(nothingWritten
          ? { processed_count: 0, success_count: 0, warning_count: 0, failed_count: eb.ref("total_count"), ...NO_ACTIONS }
          : { failed_count: sql<number>`${eb.ref("failed_count")} + ${eb.ref("total_count")} - ${eb.ref("processed_count")}` }),
      }))
      .where("id", "=", batch.importId)
      .where("processed_count", "=", batch.processedBefore)
      .where("lease_owner", "=", batch.owner)
      .where("cancel_requested", "=", 1)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) return false;
    if (nothingWritten) await forgetValidation(trx, batch.importId);
    return true;
  }

  /**
   * The last batch ends the pass in its own transaction, so that a client
   * never sees RUNNING with nothing left in progress.
   */
  async function endPass(trx: Transaction<DB>, batch: BatchResult): Promise<BatchCommit> {
    const ended = { ended_at: batch.now, lease_owner: null, lease_expires_at: null };
    if (!batch.write && batch.allOrNone) {
      const { failed_count } = await trx.selectFrom("imports").select("failed_count").where("id", "=", batch.importId).executeTakeFirstOrThrow();
      if (failed_count > 0) {
        await trx
          .updateTable("imports")
          .set({ ...ended, status: "FAILED", discarded: 1, success_count: 0, ...NO_ACTIONS, failed_count: batch.totalCount, error: `all_or_none: ${failed_count} of ${batch.totalCount} entries failed; nothing was imported` })
          .where("id", "=", batch.importId)
          .execute();
        return "ended";
      }
      // Every entry passed: the writing pass starts over from entry 1 (a
      // dry run ends here, having written nothing).
      if (batch.dryRun) {
        await trx.updateTable("imports").set({ ...ended, status: "COMPLETED" }).where("id", "=", batch.importId).execute();
        return "ended";
      }
      await forgetValidation(trx, batch.importId);
      await trx
        .updateTable("imports")
        .set({ pass: "apply", processed_count: 0, success_count: 0, failed_count: 0, warning_count: 0, ...NO_ACTIONS })
        .where("id", "=", batch.importId)
        .execute();
      return "next-pass";
    }
    await trx.updateTable("imports").set({ ...ended, status: "COMPLETED" }).where("id", "=", batch.importId).execute();
    return "ended";
  }

  async function readAssets(trx: Kysely<DB>, tenantId: number, ids: string[]): Promise<Map<string, StoredAsset>> {
    const stored = new Map<string, StoredAsset>();
    if (ids.length === 0) return stored;
    const idList = database.dialect === "postgres" ? sql`select unnest(cast(${ids} as text[]))` : sql`select value from json_each(${JSON.stringify(ids)})`;
    const rows = await sql<{ id: string; name: string; data: string; version: number; deleted_at: number | null } & AttributeColumns>`
      select id, name, data, version, deleted_at, description, tags, category_id, status_id, site_id from assets where tenant_id = ${tenantId} and id in (${idList})
    `.execute(trx);
    for (const row of rows.rows) stored.set(row.id, { name: row.name, data: joinAttributes(row), version: row.version, deletedAt: row.deleted_at });
    return stored;
  }

  // The hot path: one set-based upsert of the batch's final states, then
  // their history. An asset that was deleted is restored.
  async function writeAssets(trx: Transaction<DB>, batch: BatchResult, writes: AssetWrite[], lastSeq: number): Promise<void> {
    await upsertStates(trx, database.dialect, { tenantId: batch.tenantId, now: batch.now, actor: batch.actor }, writes);
    const firstEntry = batch.processedBefore + 1;
    await recordChanges(trx, database.dialect, {
      tenantId: batch.tenantId,
      lastSeq,
      now: batch.now,
      actor: batch.actor,
      importId: batch.importId,
      changes: writes.map((w) => [w.id, firstEntry + w.lastIndex, w.created ? "created" : w.restored ? "restored" : "updated"]),
    });
  }

  async function insertReport(trx: Kysely<DB>, importId: number, rows: ReportRow[]): Promise<void> {
    const json = JSON.stringify(rows.map((r) => [r.entry_num, r.seq, r.status, r.message, r.location ?? null, r.key ?? null, r.value ?? null]));
    const source = database.dialect === "postgres" ? sql`jsonb_array_elements(${json}::jsonb) as r(value)` : sql`json_each(${json}) as r`;
    await sql`
      insert into import_report (import_id, entry_num, seq, status, message, location, entry_key, value)
      select cast(${importId} as integer), cast(r.value ->> 0 as integer), cast(r.value ->> 1 as integer), r.value ->> 2, r.value ->> 3,
        cast(r.value ->> 4 as integer), r.value ->> 5, r.value ->> 6 from ${source}
    `.execute(trx);
  }
}

/** How many entries of a batch's action letters created (c), updated (u) and left unchanged (n) an asset. */
function countActions(actions: string): { c: number; u: number; n: number } {
  const counts = { c: 0, u: 0, n: 0 };
  for (const letter of actions) if (letter === "c" || letter === "u" || letter === "n") counts[letter]++;
  return counts;
}
