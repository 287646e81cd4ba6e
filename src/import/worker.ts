import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import type { Services } from "../services.js";
import { fieldsFingerprint, type ImportRow } from "../storage/imports.js";
import { isDatabaseUnavailable } from "../storage/errors.js";
import type { ImportMapping } from "./mapping.js";
import { objectBounds, parseSlice } from "./array-slices.js";
import { locationLabel, parseStoredOptions, type ImportOptions } from "./options.js";
import { ACTION_LETTERS, planWrites, type AssetWrite, type StoredAsset } from "./plan-writes.js";
import { IdIndex } from "./id-index.js";
import { batchModel } from "./batch-model.js";
import { appliedIds, processBatch, renamedEntries, withColumns, type BatchInput } from "./process-batch.js";

const MAX_ATTEMPTS = 5;
const POLL_INTERVAL_MS = 1000;
const PURGE_INTERVAL_MS = 60_000;
/** Assets a validation pass keeps in memory (see runPass); past this, later entries compare with storage. */
const MAX_SIMULATED = 100_000;

/** Keeps what a validation pass's batch would have written; past MAX_SIMULATED assets, only those already kept are updated. */
function remember(simulated: Map<string, StoredAsset>, writes: readonly AssetWrite[]): void {
  for (const write of writes) if (simulated.size < MAX_SIMULATED || simulated.has(write.id)) simulated.set(write.id, write);
}

function withSimulated(stored: ReadonlyMap<string, StoredAsset>, simulated: ReadonlyMap<string, StoredAsset>, ids: readonly string[]): ReadonlyMap<string, StoredAsset> {
  const merged = new Map(stored);
  for (const id of ids) {
    const asset = simulated.get(id);
    if (asset) merged.set(id, asset);
  }
  return merged;
}

/** A payload's parser problems (keyed by index in the payload) that fall in [from, to), keyed by index in the batch. */
function problemsIn(problems: Record<string, [string, unknown]>, from: number, to: number): Record<string, string> {
  const inBatch: Record<string, string> = {};
  for (const key in problems) {
    const index = Number(key);
    if (index >= from && index < to) inBatch[index - from] = problems[key]![0];
  }
  return inBatch;
}

export interface ImportWorker {
  start(): void;
  /** Wakes the worker: an import was accepted. */
  notify(): void;
  /** Finishes the batch in hand, then stops. */
  stop(): Promise<void>;
}

export interface BatchDone {
  success: number;
  failed: number;
  seconds: number;
}

/**
 * Runs accepted imports from the database, which is the queue: the oldest
 * unfinished import first, one batch per transaction. A restart resumes
 * after the last committed batch. It runs in a thread of its own
 * (worker-thread.ts), so its batches never hold the API's event loop.
 */
export function createImportWorker(services: Services, logger: FastifyBaseLogger, onBatch: (batch: BatchDone) => void = () => {}): ImportWorker {
  const { imports, fields, catalogs, now, config } = services;
  // Names this worker in the leases it holds.
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const leaseMs = config.IMPORT_LEASE_SECONDS * 1000;

  let stopping = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  function waitForWork(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, POLL_INTERVAL_MS);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  let purgedAt = 0;
  // Idle time housekeeping: stored entries past their retention, abandoned uploads.
  async function purgeNow(): Promise<void> {
    if (now() - purgedAt < PURGE_INTERVAL_MS) return;
    purgedAt = now();
    await imports.purge(now(), now() - config.IMPORT_RETENTION_HOURS * 3600 * 1000).catch((err: unknown) => logger.warn({ err }, "import housekeeping failed"));
  }

  async function run(): Promise<void> {
    while (!stopping) {
      let next: ImportRow | undefined;
      try {
        next = await imports.claimNext(owner, now(), leaseMs);
      } catch (err) {
        if (isDatabaseUnavailable(err)) logger.warn({ err: (err as Error).message }, "database unavailable; import queue not readable");
        else logger.error({ err }, "import queue not readable");
      }
      // The SQLite driver answers synchronously, so awaits alone never let
      // messages in: yield explicitly, whatever runImport did.
      if (next) await runImport(next).then(() => yieldToEventLoop());
      else {
        await purgeNow();
        await waitForWork();
      }
    }
  }

  async function runImport(job: ImportRow): Promise<void> {
    const log = logger.child({ import_id: job.id, tenant_id: job.tenant_id, worker: owner });
    // Batches extend the lease too; the heartbeat covers the time between them.
    const heartbeat = setInterval(() => {
      imports.extendLease(job.id, owner, now() + leaseMs).catch((err: unknown) => log.warn({ err }, "lease not extended"));
    }, leaseMs / 3);
    try {
      if (job.processed_count > 0) log.info({ processed: job.processed_count, pass: job.pass }, "resuming import");
      else log.info({ total: job.total_count, pass: job.pass }, "import started");
      let pass = job.pass;
      let processed = job.processed_count;
      for (;;) {
        const outcome = await runPass(job, pass, processed, log);
        if (outcome !== "next-pass") break;
        // all_or_none: every entry passed validation; now write them.
        log.info("all entries valid; applying");
        pass = "apply";
        processed = 0;
      }
    } catch (err) {
      await handleFailure(job, err, log);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** One pass over the import's entries from entry `processed + 1` on. */
  async function runPass(job: ImportRow, pass: string, processed: number, log: FastifyBaseLogger): Promise<"ended" | "next-pass" | "left"> {
    const mapping: ImportMapping = { idField: job.id_mapping_field, nameField: job.name_mapping_field };
    const options = parseStoredOptions(job.options);
    const label = locationLabel(job.format);
    // A validation pass writes no asset: what its earlier batches would have
    // written is kept here, so that a later entry with the same ID is
    // compared with that, as the real import would.
    const simulated = pass === "validate" ? new Map<string, StoredAsset>() : undefined;
    let applied = new IdIndex();
    if (processed > 0) {
      // Resuming: rebuild what the batches before the restart left in memory.
      const done = (await imports.processedPayloads(job.id, processed)).map((p) => {
        const entries = JSON.parse(p.entries) as unknown[];
        return { firstEntryNum: p.first_entry_num, entries: options.columns ? renamedEntries(entries, options.columns).entries : entries };
      });
      applied = appliedIds(done, processed, mapping, await imports.failedEntryNums(job.id));
      if (simulated) await replaySimulated(job, done, processed, mapping, options, simulated);
    }

    while (!stopping) {
      const payload = await imports.payloadContaining(job.id, processed + 1);
      if (!payload) {
        // The last batch ends an import, so entries still to process must
        // be stored; if they are not, the import cannot go on.
        await imports.fail(job.id, `stored entries from entry ${processed + 1} on are missing`, now());
        log.error({ processed }, "import entries missing");
        return "ended";
      }
      const text = payload.entries;
      const bounds = objectBounds(text);
      const locations = payload.locations === null ? undefined : (JSON.parse(payload.locations) as number[]);
      const problems = payload.problems === null ? undefined : (JSON.parse(payload.problems) as Record<string, [string, unknown]>);
      const payloadEnd = payload.first_entry_num + payload.entry_count - 1;
      while (!stopping && processed < payloadEnd) {
        const started = performance.now();
        const from = processed + 1 - payload.first_entry_num;
        const to = Math.min(from + config.IMPORT_BATCH_SIZE, payload.entry_count);
        const batch: BatchInput = withColumns({
          entries: parseSlice(text, bounds, from, to),
          firstEntryNum: processed + 1,
          locationLabel: label,
          ...(locations ? { locations: locations.slice(from, to) } : {}),
          ...(problems ? { problems: problemsIn(problems, from, to) } : {}),
        }, options.columns);
        // Fields are read per batch: one created mid-import applies from the
        // next batch on; one changed while the batch was being validated
        // sends it round again.
        const tenantFields = await fields.list(job.tenant_id);
        const catalog = await catalogs.read(job.tenant_id);
        const model = await batchModel(catalog, batch.entries, mapping, (ids) => imports.classifications(job.tenant_id, ids), simulated);
        const outcome = processBatch(batch, mapping, new Map(tenantFields.map((f) => [f.name, f])), options, applied, model.model);
        const processedAfter = processed + batch.entries.length;
        const ids = [...new Set(outcome.changes.map((c) => c.id))];
        let planned: AssetWrite[] = [];
        const result = await imports.applyBatch({
          importId: job.id,
          tenantId: job.tenant_id,
          owner,
          leaseMs,
          actor: job.created_by,
          now: now(),
          processedBefore: processed,
          processedAfter,
          totalCount: job.total_count,
          fieldsFingerprint: fieldsFingerprint(tenantFields),
          catalogVersion: catalog.version,
          ids,
          plan: (stored) => {
            const current = simulated ? withSimulated(stored, simulated, ids) : stored;
            model.check(current, ids);
            const { writes, actions } = planWrites(outcome.changes, current);
            planned = writes;
            const letters = batch.entries.map((_, index) => ACTION_LETTERS[outcome.failedIndexes.has(index) ? "failed" : actions.get(index)!]);
            return { writes, actions: letters.join("") };
          },
          write: pass === "apply",
          allOrNone: options.all_or_none,
          dryRun: options.dry_run,
          report: outcome.report,
          success: outcome.success,
          failed: outcome.failed,
          warned: outcome.warned,
        });
        if (result === "fields-changed") continue;
        if (result === "moved-on") {
          log.warn("another worker holds the import now; leaving it");
          return "left";
        }
        if (result === "cancelled") {
          log.info({ processed }, "import cancelled");
          return "ended";
        }
        onBatch({ success: outcome.success, failed: outcome.failed, seconds: (performance.now() - started) / 1000 });
        if (result === "ended") {
          log.info("import ended");
          return "ended";
        }
        if (result === "next-pass") return "next-pass";
        for (const [id, entryNum] of outcome.appliedNow) applied.set(id, entryNum);
        if (simulated) remember(simulated, planned);
        processed = processedAfter;
        await yieldToEventLoop();
      }
    }
    // Stopping mid-import: hand it back so that another worker goes on at once.
    await imports.releaseLease(job.id, owner);
    log.info({ processed }, "import handed back");
    return "left";
  }

  /** A resumed validation pass: what its committed batches would have written, replayed. */
  async function replaySimulated(
    job: ImportRow,
    done: ReadonlyArray<{ firstEntryNum: number; entries: unknown[] }>,
    processed: number,
    mapping: ImportMapping,
    options: ImportOptions,
    simulated: Map<string, StoredAsset>,
  ): Promise<void> {
    const tenantFields = new Map((await fields.list(job.tenant_id)).map((f) => [f.name, f]));
    const catalog = await catalogs.read(job.tenant_id);
    const seen = new IdIndex();
    for (const { firstEntryNum, entries } of done) {
      const count = Math.min(entries.length, processed - firstEntryNum + 1);
      for (let from = 0; from < count; from += config.IMPORT_BATCH_SIZE) {
        const batch = { entries: entries.slice(from, Math.min(count, from + config.IMPORT_BATCH_SIZE)), firstEntryNum: firstEntryNum + from, locationLabel: "" };
        const { model } = await batchModel(catalog, batch.entries, mapping, (ids) => imports.classifications(job.tenant_id, ids), simulated);
        const { changes } = processBatch(batch, mapping, tenantFields, options, seen, model);
        const ids = [...new Set(changes.map((c) => c.id))];
        remember(simulated, planWrites(changes, withSimulated(await imports.storedAssets(job.tenant_id, ids), simulated, ids)).writes);
      }
    }
  }

  async function handleFailure(job: ImportRow, err: unknown, log: FastifyBaseLogger): Promise<void> {
    if (isDatabaseUnavailable(err)) {
      // Not the import's fault: wait, and claim it again (lease permitting)
      // once the database answers. Nothing was half-written: batches are atomic.
      log.warn({ err: (err as Error).message }, "database unavailable; import paused");
      await sleep(POLL_INTERVAL_MS);
      await imports.releaseLease(job.id, owner).catch(() => {});
      return;
    }
    log.error({ err }, "import batch failed");
    try {
      const attempts = await imports.recordAttemptFailure(job.id);
      if (attempts >= MAX_ATTEMPTS) {
        await imports.fail(job.id, "internal error while applying entries; see the service log", now());
        log.error({ attempts }, "import failed for good");
        return;
      }
      await sleep(250 * 2 ** attempts);
      await imports.releaseLease(job.id, owner);
    } catch (inner) {
      // The database itself is unreachable: the lease runs out and the
      // import is claimed again once it is back.
      log.error({ err: inner }, "could not record the import failure");
      await sleep(POLL_INTERVAL_MS);
    }
  }

  return {
    start() {
      stopping = false;
      loop ??= run().finally(() => {
        loop = undefined;
      });
    },
    notify() {
      wake?.();
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
