import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import { IMPORTS_CHANNEL, type Database } from "./database.js";
import { toStoredField } from "./fields.js";
import type { DB, ImportsTable } from "./schema.js";

export type ImportRow = Selectable<ImportsTable>;

/** One asset write of a batch; entries with one ID are already folded into one. */
export interface AssetUpsert {
  id: string;
  /** null: the entry gave no name (a new asset is named by its ID, an existing one keeps its name). */
  name: string | null;
  /** Custom field values to set; a null value clears the field. */
  patch: Record<string, unknown>;
}

/** A stored report row: a warning, or an entry's failure. */
export interface ReportRow {
  entry_num: number;
  seq: number;
  status: "WARNING" | "FAILED";
  message: string | null;
}

export type ReportStatus = "SUCCESS" | "WARNING" | "FAILED";

export interface ReportPageRow {
  entry_num: number;
  status: ReportStatus;
  message: string | null;
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
  /** The import's total_count: the batch that reaches it completes the import. */
  totalCount: number;
  upserts: AssetUpsert[];
  report: ReportRow[];
  success: number;
  failed: number;
  warned: number;
  /** The tenant's fields the batch was validated against (fieldsFingerprint). */
  fieldsFingerprint: string;
}

/** What the batch's validation depended on: each field's name and definition. */
export function fieldsFingerprint(fields: ReadonlyArray<{ name: string; type: string; options?: readonly string[]; precision?: number }>): string {
  return JSON.stringify(fields.map((f) => [f.name, f.type, f.options ?? null, f.precision ?? null]).sort());
}

export type BatchCommit = "committed" | "moved-on" | "fields-changed";

export function createImportsRepository(database: Database) {
  const { db } = database;

  return {
    /** The import and all of its entries in one transaction: durable before the 202. */
    async create(input: {
      tenantId: number;
      idMappingField: string | null;
      nameMappingField: string | null;
      createdBy: string;
      now: number;
      totalCount: number;
      payloads: Array<{ first_entry_num: number; entry_count: number; entries: string }>;
    }): Promise<ImportRow> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto("imports")
          .values({
            tenant_id: input.tenantId,
            status: "NOT_STARTED",
            id_mapping_field: input.idMappingField,
            name_mapping_field: input.nameMappingField,
            total_count: input.totalCount,
            created_by: input.createdBy,
            created_at: input.now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        for (const payload of input.payloads) {
          await trx
            .insertInto("import_payloads")
            .values({ import_id: row.id, ...payload })
            .execute();
        }
        // Delivered to listening workers when this transaction commits.
        if (database.dialect === "postgres") await sql`select pg_notify(${IMPORTS_CHANNEL}, ${String(row.id)})`.execute(trx);
        return row;
      });
    },

    get(tenantId: number, importId: number): Promise<ImportRow | undefined> {
      return db.selectFrom("imports").selectAll().where("tenant_id", "=", tenantId).where("id", "=", importId).executeTakeFirst();
    },

    latest(tenantId: number): Promise<ImportRow | undefined> {
      return db.selectFrom("imports").selectAll().where("tenant_id", "=", tenantId).orderBy("id", "desc").limit(1).executeTakeFirst();
    },

    /**
     * Claims the next import to run and leases it to `owner`: the oldest
     * unfinished import of a tenant whose earlier imports have all ended,
     * that no live lease holds. So a tenant's imports run one at a time in
     * acceptance order (ids increase with acceptance), while other tenants'
     * imports can run on other workers. SKIP LOCKED lets concurrent workers
     * pass over a row another is claiming instead of waiting for it.
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
              where earlier.tenant_id = i.tenant_id and earlier.id < i.id and earlier.status in ('NOT_STARTED', 'RUNNING')
            )
          order by i.id
          limit 1
          ${skipLocked}
        )
        returning *
      `.execute(db);
      return result.rows[0];
    },

    /** Extends the lease; false if `owner` no longer holds it. */
    async extendLease(importId: number, owner: string, expiresAt: number): Promise<boolean> {
      const result = await db
        .updateTable("imports")
        .set({ lease_expires_at: expiresAt })
        .where("id", "=", importId)
        .where("lease_owner", "=", owner)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /** Gives the import back to the queue (a worker that stops mid-import). */
    async releaseLease(importId: number, owner: string): Promise<void> {
      await db
        .updateTable("imports")
        .set({ lease_owner: null, lease_expires_at: null })
        .where("id", "=", importId)
        .where("lease_owner", "=", owner)
        .execute();
    },

    /** Where the payload holding entry `entryNum` starts and ends (not its text), if any. */
    payloadContaining(importId: number, entryNum: number) {
      return db
        .selectFrom("import_payloads")
        .select(["first_entry_num", "entry_count"])
        .where("import_id", "=", importId)
        .where("first_entry_num", "<=", entryNum)
        .orderBy("first_entry_num", "desc")
        .limit(1)
        .executeTakeFirst()
        .then((row) => (row && row.first_entry_num + row.entry_count > entryNum ? row : undefined));
    },

    async payloadEntries(importId: number, firstEntryNum: number): Promise<string> {
      const row = await db
        .selectFrom("import_payloads")
        .select("entries")
        .where("import_id", "=", importId)
        .where("first_entry_num", "=", firstEntryNum)
        .executeTakeFirstOrThrow();
      return row.entries;
    },

    /** Payloads holding entries 1..processed (to rebuild state after a restart). */
    processedPayloads(importId: number, processed: number) {
      return db
        .selectFrom("import_payloads")
        .selectAll()
        .where("import_id", "=", importId)
        .where("first_entry_num", "<=", processed)
        .orderBy("first_entry_num")
        .execute();
    },

    async failedEntryNums(importId: number): Promise<Set<number>> {
      const rows = await db
        .selectFrom("import_report")
        .select("entry_num")
        .where("import_id", "=", importId)
        .where("status", "=", "FAILED")
        .execute();
      return new Set(rows.map((r) => r.entry_num));
    },

    /**
     * Applies one batch: the asset upserts, its report rows and the progress
     * counters commit together, so a restart resumes after the last batch.
     * Writes nothing if the import moved on meanwhile or another worker took
     * its lease over, or if the tenant's fields changed since validation.
     */
    async applyBatch(batch: BatchResult): Promise<BatchCommit> {
      const fieldsChanged = new Error("fields changed");
      try {
        return await db.transaction().execute(async (trx) => {
          // The last batch also ends the import, so that a client never sees
          // RUNNING with nothing left in progress.
          const last = batch.processedAfter === batch.totalCount;
          const progressed = await trx
            .updateTable("imports")
            .set((eb) => ({
              processed_count: batch.processedAfter,
              success_count: eb("success_count", "+", batch.success),
              failed_count: eb("failed_count", "+", batch.failed),
              warning_count: eb("warning_count", "+", batch.warned),
              attempts: 0,
              ...(last
                ? { status: "COMPLETED", ended_at: batch.now, lease_owner: null, lease_expires_at: null }
                : { lease_expires_at: batch.now + batch.leaseMs }),
            }))
            .where("id", "=", batch.importId)
            .where("processed_count", "=", batch.processedBefore)
            .where("lease_owner", "=", batch.owner)
            .executeTakeFirst();
          if (progressed.numUpdatedRows !== 1n) return "moved-on";
          // A field deleted or changed since the batch was validated: do not
          // write values it no longer allows. On PostgreSQL the share lock
          // waits for such a change in flight (it locks the field row first);
          // on SQLite the write above already holds the database's lock.
          let current = trx.selectFrom("asset_fields").selectAll().where("tenant_id", "=", batch.tenantId);
          if (database.dialect === "postgres") current = current.forShare();
          if (fieldsFingerprint((await current.execute()).map(toStoredField)) !== batch.fieldsFingerprint) throw fieldsChanged;
          if (batch.upserts.length > 0) await upsertAssets(trx, batch);
          if (batch.report.length > 0) await insertReport(trx, batch.importId, batch.report);
          // The entries served their purpose; the report keeps what happened.
          if (last) await trx.deleteFrom("import_payloads").where("import_id", "=", batch.importId).execute();
          return "committed";
        });
      } catch (err) {
        if (err === fieldsChanged) return "fields-changed";
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
     * Gives up: the entries not processed count as failed (they have no
     * report rows; processed_count keeps marking the reported prefix).
     */
    async fail(importId: number, error: string, now: number): Promise<void> {
      await db
        .updateTable("imports")
        .set((eb) => ({
          status: "FAILED",
          error,
          ended_at: now,
          lease_owner: null,
          lease_expires_at: null,
          failed_count: sql<number>`${eb.ref("failed_count")} + ${eb.ref("total_count")} - ${eb.ref("processed_count")}`,
        }))
        .where("id", "=", importId)
        .execute();
    },

    /**
     * A page of the full report, in entry order, optionally of one status.
     * Only WARNING and FAILED rows are stored: every processed entry without
     * a FAILED row has a SUCCESS row, after its warnings. So a page is built
     * from the window of entries that can hold it and the stored rows there.
     */
    async reportPage(
      imp: { id: number; processed_count: number },
      status: ReportStatus | undefined,
      offset: number,
      limit: number,
    ): Promise<{ rows: ReportPageRow[]; total: number }> {
      const stored = db.selectFrom("import_report").where("import_id", "=", imp.id);
      if (status === "WARNING" || status === "FAILED") {
        const [rows, count] = await Promise.all([
          stored.select(["entry_num", "status", "message"]).where("status", "=", status).orderBy("entry_num").orderBy("seq").limit(limit).offset(offset).execute(),
          stored.select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", status).executeTakeFirstOrThrow(),
        ]);
        return { rows: rows as ReportPageRow[], total: Number(count.n) };
      }

      const countBelow = async (entryNum: number) => {
        const row = await stored
          .select((eb) => [
            eb.fn.sum<number>(eb.case().when("status", "=", "WARNING").then(1).else(0).end()).as("warnings"),
            eb.fn.sum<number>(eb.case().when("status", "=", "FAILED").then(1).else(0).end()).as("failures"),
          ])
          .where("entry_num", "<", entryNum)
          .executeTakeFirstOrThrow();
        return { warnings: Number(row.warnings ?? 0), failures: Number(row.failures ?? 0) };
      };
      const processed = imp.processed_count;
      const all = await countBelow(processed + 1);
      const onlySuccess = status === "SUCCESS";
      const total = onlySuccess ? processed - all.failures : processed + all.warnings;
      if (offset >= total) return { rows: [], total };

      // The page's first row belongs to an entry in [lo, offset + 1]; its last to one <= hi.
      const lo = onlySuccess ? offset + 1 : Math.max(1, offset + 1 - all.warnings);
      const hi = Math.min(processed, offset + limit + (onlySuccess ? all.failures : 0));
      const below = await countBelow(lo);
      const rowsBefore = onlySuccess ? lo - 1 - below.failures : lo - 1 + below.warnings;
      const inWindow = await stored
        .select(["entry_num", "status", "message"])
        .where("entry_num", ">=", lo)
        .where("entry_num", "<=", hi)
        .orderBy("entry_num")
        .orderBy("seq")
        .execute();

      const skip = offset - rowsBefore;
      const rows: ReportPageRow[] = [];
      let i = 0;
      for (let entry = lo; entry <= hi && rows.length < skip + limit; entry++) {
        let failedHere = false;
        for (; i < inWindow.length && inWindow[i]!.entry_num === entry; i++) {
          const row = inWindow[i]! as ReportPageRow;
          if (row.status === "FAILED") failedHere = true;
          if (!onlySuccess) rows.push(row);
        }
        if (!failedHere) rows.push({ entry_num: entry, status: "SUCCESS", message: null });
      }
      return { rows: rows.slice(skip, skip + limit), total };
    },
  };

  // The hot path: one set-based upsert over the batch, passed as a single
  // JSON parameter of [id, name, patch] rows. The batch is the outer side of
  // a LEFT JOIN, so each entry looks its asset up by primary key (SQLite's
  // planner would otherwise scan the tenant's assets per entry). The merged
  // values are computed in the SELECT; the conflict update only fires where
  // something changes, so an entry that changes nothing leaves the asset (and
  // its version) untouched. Merging drops nulls: a null clears a field.
  async function upsertAssets(trx: Transaction<DB>, batch: BatchResult): Promise<void> {
    const rows = JSON.stringify(batch.upserts.map((u) => [u.id, u.name, u.patch]));
    const postgres = database.dialect === "postgres";
    const source = postgres ? sql`jsonb_array_elements(${rows}::jsonb) as s(value)` : sql`json_each(${rows}) as s`;
    const merged = postgres
      ? sql`jsonb_strip_nulls(coalesce(a.data, '{}'::jsonb) || (s.value -> 2))`
      : sql`json_patch(coalesce(a.data, '{}'), s.value -> 2)`;
    await sql`
      insert into assets (tenant_id, id, uid, name, data, version, created_at, created_by, updated_at, updated_by, is_active)
      select cast(${batch.tenantId} as integer), s.value ->> 0, ${newUid(batch.now)},
             coalesce(s.value ->> 1, a.name, s.value ->> 0), ${merged},
             1, cast(${batch.now} as bigint), cast(${batch.actor} as text), cast(${batch.now} as bigint), cast(${batch.actor} as text), 1
      from ${source}
      left join assets as a on a.tenant_id = ${batch.tenantId} and a.id = s.value ->> 0
      where true
      on conflict (tenant_id, id) do update set
        name = excluded.name,
        data = excluded.data,
        version = assets.version + 1,
        updated_at = excluded.updated_at,
        updated_by = excluded.updated_by
      where excluded.data <> assets.data or excluded.name <> assets.name
    `.execute(trx);
  }

  /**
   * A UUIDv7 for a created asset: the batch's time in the first 48 bits, then
   * random bits. Made in SQL, per row, because only the database knows which
   * rows are new.
   */
  function newUid(now: number) {
    const time = now.toString(16).padStart(12, "0");
    const prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
    return database.dialect === "postgres"
      ? // gen_random_uuid() supplies the random bits and the variant.
        sql<string>`overlay(gen_random_uuid()::text placing cast(${prefix} as text) from 1 for 15)`
      : sql<string>`${prefix} || printf('%03x-%04x-%012x', random() & 4095, 32768 | (random() & 16383), random() & 281474976710655)`;
  }

  async function insertReport(trx: Kysely<DB>, importId: number, report: ReportRow[]): Promise<void> {
    const rows = JSON.stringify(report.map((r) => [r.entry_num, r.seq, r.status, r.message]));
    const source = database.dialect === "postgres" ? sql`jsonb_array_elements(${rows}::jsonb) as r(value)` : sql`json_each(${rows}) as r`;
    await sql`
      insert into import_report (import_id, entry_num, seq, status, message)
      select cast(${importId} as integer), cast(r.value ->> 0 as integer), cast(r.value ->> 1 as integer), r.value ->> 2, r.value ->> 3 from ${source}
    `.execute(trx);
  }
}
