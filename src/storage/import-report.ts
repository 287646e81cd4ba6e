import { sql, type Kysely, type Selectable } from "kysely";
import type { EntryAction } from "../import/plan-writes.js";
import type { Dialect } from "./database.js";
import type { DB, ImportsTable } from "./schema.js";
import { containsText } from "./text-search.js";

export type ReportStatus = "SUCCESS" | "WARNING" | "FAILED";

export interface ReportPageRow {
  entry_num: number;
  status: ReportStatus;
  message: string | null;
  action?: EntryAction;
  /** Stored rows: the entry's line or row in its file, the key the row is about and its value as sent. */
  location?: number | null;
  entry_key?: string | null;
  value?: string | null;
}

const STORED_COLUMNS = ["entry_num", "status", "message", "location", "entry_key", "value"] as const;

export interface FailedEntry {
  entry_num: number;
  /** The entry's line or row in its file, for CSV, NDJSON and XLSX imports. */
  location?: number;
  /** The entry as submitted (for a line a parser could not read, its text). */
  entry: unknown;
  errors: string[];
}

type ImportState = Pick<Selectable<ImportsTable>, "id" | "status" | "processed_count" | "total_count" | "discarded">;

const ACTIONS: Record<string, EntryAction> = { c: "created", u: "updated", n: "unchanged" };
const DISCARDED_MESSAGE = "not imported: all_or_none is set and other entries failed";
/** IMPORT_BATCH_SIZE's maximum: an actions row covers at most this many entries. */
const MAX_BATCH = 20_000;

/** Entries an ended import never reached: the report shows them as FAILED. */
function unprocessedTail(imp: ImportState): number {
  return (imp.status === "FAILED" || imp.status === "CANCELLED") && imp.discarded === 0 ? imp.total_count - imp.processed_count : 0;
}

function notProcessedMessage(imp: ImportState): string {
  return imp.status === "CANCELLED" ? "not processed: the import was cancelled" : "not processed: the import failed";
}

/**
 * The per-entry report. Only WARNING and FAILED rows are stored; the rest is
 * derived: every processed entry without a stored FAILED row has a SUCCESS
 * row (with its action) after its warnings, or, in an all_or_none import
 * that was discarded, a FAILED row; the entries an ended import never
 * reached have a FAILED row each.
 */
export function createImportReport(db: Kysely<DB>, dialect: Dialect) {
  const stored = (importId: number) => db.selectFrom("import_report").where("import_id", "=", importId);

  async function countBelow(importId: number, entryNum: number) {
    const row = await stored(importId)
      .select((eb) => [
        eb.fn.sum<number>(eb.case().when("status", "=", "WARNING").then(1).else(0).end()).as("warnings"),
        eb.fn.sum<number>(eb.case().when("status", "=", "FAILED").then(1).else(0).end()).as("failures"),
      ])
      .where("entry_num", "<", entryNum)
      .executeTakeFirstOrThrow();
    return { warnings: Number(row.warnings ?? 0), failures: Number(row.failures ?? 0) };
  }

  /** Rows of one stored status, straight from the table. */
  async function storedPage(importId: number, status: "WARNING" | "FAILED", offset: number, limit: number) {
    const [rows, count] = await Promise.all([
      stored(importId).select(STORED_COLUMNS).where("status", "=", status).orderBy("entry_num").orderBy("seq").limit(limit).offset(offset).execute(),
      stored(importId).select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", status).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as ReportPageRow[], total: Number(count.n) };
  }

  /**
   * Rows of entries 1..processed, all of them or only the final ones of one
   * status, built from the window of entries that can hold the page and the
   * stored rows there.
   */
  async function walkPage(imp: ImportState, only: "SUCCESS" | "FAILED" | undefined, offset: number, limit: number) {
    const processed = imp.processed_count;
    const discarded = imp.discarded === 1;
    const all = await countBelow(imp.id, processed + 1);
    // With `only`, each entry has at most one row; SUCCESS skips failed entries.
    const total = only === "FAILED" ? processed : only === "SUCCESS" ? processed - all.failures : processed + all.warnings;
    if (offset >= total) return { rows: [], total };

    // The page's first row belongs to an entry in [lo, offset + 1]; its last to one <= hi.
    const lo = only ? offset + 1 : Math.max(1, offset + 1 - all.warnings);
    const hi = Math.min(processed, offset + limit + (only === "SUCCESS" ? all.failures : 0));
    const below = await countBelow(imp.id, lo);
    const rowsBefore = only === "FAILED" ? lo - 1 : only === "SUCCESS" ? lo - 1 - below.failures : lo - 1 + below.warnings;
    const inWindow = (await stored(imp.id)
      .select(STORED_COLUMNS)
      .where("entry_num", ">=", lo)
      .where("entry_num", "<=", hi)
      .orderBy("entry_num")
      .orderBy("seq")
      .execute()) as ReportPageRow[];

    const skip = offset - rowsBefore;
    const rows: ReportPageRow[] = [];
    let i = 0;
    for (let entry = lo; entry <= hi && rows.length < skip + limit; entry++) {
      let final: ReportPageRow | undefined;
      for (; i < inWindow.length && inWindow[i]!.entry_num === entry; i++) {
        const row = inWindow[i]!;
        if (row.status === "FAILED") final = row;
        else if (!only) rows.push(row);
      }
      final ??= discarded ? { entry_num: entry, status: "FAILED", message: DISCARDED_MESSAGE } : { entry_num: entry, status: "SUCCESS", message: null };
      if (!only || final.status === only) rows.push(final);
    }
    return { rows: rows.slice(skip, skip + limit), total };
  }

  async function addActions(importId: number, rows: ReportPageRow[]): Promise<void> {
    const success = rows.filter((r) => r.status === "SUCCESS");
    if (success.length === 0) return;
    const first = success[0]!.entry_num;
    const last = success[success.length - 1]!.entry_num;
    const batches = await db
      .selectFrom("import_actions")
      .select(["first_entry_num", "actions"])
      .where("import_id", "=", importId)
      .where("first_entry_num", ">", first - MAX_BATCH)
      .where("first_entry_num", "<=", last)
      .orderBy("first_entry_num")
      .execute();
    for (const row of success) {
      const batch = batches.findLast((b) => b.first_entry_num <= row.entry_num);
      const action = batch && ACTIONS[batch.actions[row.entry_num - batch.first_entry_num] ?? ""];
      if (action) row.action = action;
    }
  }

  return {
    /**
     * A page of the rows stored for the entries' problems (WARNING and
     * FAILED), in entry order: of one status, and with `text`, only those
     * whose message, key or value holds it, ignoring case.
     */
    async problemsPage(importId: number, status: "WARNING" | "FAILED" | undefined, text: string | undefined, offset: number, limit: number): Promise<{ rows: ReportPageRow[]; total: number }> {
      let rows = stored(importId);
      if (status) rows = rows.where("status", "=", status);
      if (text !== undefined && text !== "") {
        rows = rows.where((eb) => eb.or(["message", "entry_key", "value"].map((column) => containsText(dialect, sql.ref(column), text))));
      }
      const [page, count] = await Promise.all([
        rows.select(STORED_COLUMNS).orderBy("entry_num").orderBy("seq").limit(limit).offset(offset).execute(),
        rows.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { rows: page as ReportPageRow[], total: Number(count.n) };
    },

    /** The rows of one entry, as the full report has them: its warnings, then its final row (with its action). */
    async entryRows(imp: ImportState, entry: number): Promise<ReportPageRow[]> {
      if (entry > imp.processed_count) {
        const notProcessed = entry <= imp.processed_count + unprocessedTail(imp);
        return notProcessed ? [{ entry_num: entry, status: "FAILED", message: notProcessedMessage(imp) }] : [];
      }
      const storedRows = (await stored(imp.id).select(STORED_COLUMNS).where("entry_num", "=", entry).orderBy("seq").execute()) as ReportPageRow[];
      const rows = storedRows.filter((row) => row.status !== "FAILED");
      const final = storedRows.findLast((row) => row.status === "FAILED") ??
        (imp.discarded === 1 ? { entry_num: entry, status: "FAILED" as const, message: DISCARDED_MESSAGE } : { entry_num: entry, status: "SUCCESS" as const, message: null });
      rows.push(final);
      await addActions(imp.id, rows);
      return rows;
    },

    /** A page of the full report, in entry order, optionally of one status. */
    async reportPage(imp: ImportState, status: ReportStatus | undefined, offset: number, limit: number): Promise<{ rows: ReportPageRow[]; total: number }> {
      const discarded = imp.discarded === 1;
      const processedPart =
        status === "WARNING" || (status === "FAILED" && !discarded)
          ? await storedPage(imp.id, status, offset, limit)
          : status === "SUCCESS" && discarded
            ? { rows: [], total: 0 }
            : await walkPage(imp, status, offset, limit);
      await addActions(imp.id, processedPart.rows);

      const tail = status === undefined || status === "FAILED" ? unprocessedTail(imp) : 0;
      const rows = processedPart.rows;
      for (let k = Math.max(0, offset - processedPart.total); k < tail && rows.length < limit; k++) {
        rows.push({ entry_num: imp.processed_count + 1 + k, status: "FAILED", message: notProcessedMessage(imp) });
      }
      return { rows, total: processedPart.total + tail };
    },

    /**
     * The entries whose final row is FAILED, in entry order, with the
     * reasons, read from the stored entries one payload at a time.
     */
    async *failedEntries(imp: ImportState): AsyncGenerator<FailedEntry> {
      const tail = unprocessedTail(imp);
      let after = 0;
      for (;;) {
        const payload = await db
          .selectFrom("import_payloads")
          .select(["first_entry_num", "entry_count", "entries", "locations", "problems"])
          .where("import_id", "=", imp.id)
          .where("first_entry_num", ">", after)
          .orderBy("first_entry_num")
          .limit(1)
          .executeTakeFirst();
        if (!payload) return;
        after = payload.first_entry_num;
        const last = payload.first_entry_num + payload.entry_count - 1;
        const failures = await stored(imp.id)
          .select(["entry_num", "message"])
          .where("status", "=", "FAILED")
          .where("entry_num", ">=", payload.first_entry_num)
          .where("entry_num", "<=", last)
          .execute();
        const reasons = new Map(failures.map((f) => [f.entry_num, f.message ?? ""]));
        const entries = JSON.parse(payload.entries) as unknown[];
        const locations = payload.locations === null ? undefined : (JSON.parse(payload.locations) as number[]);
        const problems = payload.problems === null ? {} : (JSON.parse(payload.problems) as Record<string, [string, unknown]>);
        for (let index = 0; index < entries.length; index++) {
          const entryNum = payload.first_entry_num + index;
          let reason: string | undefined;
          if (entryNum <= imp.processed_count) reason = reasons.get(entryNum) ?? (imp.discarded === 1 ? DISCARDED_MESSAGE : undefined);
          else if (tail > 0) reason = notProcessedMessage(imp);
          if (reason === undefined) continue;
          yield { entry_num: entryNum, ...(locations ? { location: locations[index]! } : {}), entry: index in problems ? problems[index]![1] : entries[index], errors: [reason] };
        }
      }
    },
  };
}
