import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import type { Services } from "../services.js";
import { fieldsFingerprint, type ImportRow } from "../storage/imports.js";
import { isDatabaseUnavailable } from "../storage/errors.js";
import type { ImportMapping } from "./mapping.js";
import { objectBounds, parseSlice } from "./array-slices.js";
import { appliedIds, processBatch } from "./process-batch.js";

const MAX_ATTEMPTS = 5;
const POLL_INTERVAL_MS = 1000;

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
  const { imports, fields, now, config } = services;
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
      else await waitForWork();
    }
  }

  async function runImport(job: ImportRow): Promise<void> {
    const log = logger.child({ import_id: job.id, tenant_id: job.tenant_id, worker: owner });
    const mapping: ImportMapping = { idField: job.id_mapping_field, nameField: job.name_mapping_field };
    // Batches extend the lease too; the heartbeat covers the time between them.
    const heartbeat = setInterval(() => {
      imports.extendLease(job.id, owner, now() + leaseMs).catch((err: unknown) => log.warn({ err }, "lease not extended"));
    }, leaseMs / 3);
    let processed = job.processed_count;
    try {
      const applied =
        processed === 0
          ? new Map<string, number>()
          : appliedIds(
              (await imports.processedPayloads(job.id, processed)).map((p) => ({
                firstEntryNum: p.first_entry_num,
                entries: JSON.parse(p.entries) as Array<Record<string, unknown>>,
              })),
              processed,
              mapping,
              await imports.failedEntryNums(job.id),
            );
      if (processed > 0) log.info({ processed }, "resuming import");
      else log.info({ total: job.total_count }, "import started");

      while (!stopping) {
        const payload = await imports.payloadContaining(job.id, processed + 1);
        if (!payload) {
          // The last batch completes an import, so entries still to process
          // must be stored; if they are not, the import cannot go on.
          await imports.fail(job.id, `stored entries from entry ${processed + 1} on are missing`, now());
          log.error({ processed }, "import entries missing");
          return;
        }
        const text = await imports.payloadEntries(job.id, payload.first_entry_num);
        const bounds = objectBounds(text);
        const payloadEnd = payload.first_entry_num + payload.entry_count - 1;
        while (!stopping && processed < payloadEnd) {
          const started = performance.now();
          const from = processed + 1 - payload.first_entry_num;
          const batch = parseSlice(text, bounds, from, Math.min(from + config.IMPORT_BATCH_SIZE, payload.entry_count));
          // Fields are read per batch: one created mid-import applies from the
          // next batch on; one changed while the batch was being validated
          // sends it round again.
          const tenantFields = await fields.list(job.tenant_id);
          const outcome = processBatch(batch, processed + 1, mapping, new Map(tenantFields.map((f) => [f.name, f])), applied);
          const processedAfter = processed + batch.length;
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
            ...outcome,
          });
          if (result === "fields-changed") continue;
          if (result === "moved-on") {
            log.warn("another worker holds the import now; leaving it");
            return;
          }
          onBatch({ success: outcome.success, failed: outcome.failed, seconds: (performance.now() - started) / 1000 });
          if (processedAfter === job.total_count) {
            log.info("import completed");
            return;
          }
          for (const [id, entryNum] of outcome.appliedNow) applied.set(id, entryNum);
          processed = processedAfter;
          await yieldToEventLoop();
        }
      }
      // Stopping mid-import: hand it back so that another worker goes on at once.
      await imports.releaseLease(job.id, owner);
      log.info({ processed }, "import handed back");
    } catch (err) {
      await handleFailure(job, err, log);
    } finally {
      clearInterval(heartbeat);
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
