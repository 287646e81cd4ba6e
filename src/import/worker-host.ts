import { once } from "node:events";
import { Worker } from "node:worker_threads";
import type { FastifyBaseLogger } from "fastify";
import { Counter, Histogram, type Registry } from "prom-client";
import type { Config } from "../config.js";
import type { BatchDone, ImportWorker } from "./worker.js";

export type ToThread = { type: "wake" } | { type: "stop" };
type FromThread = ({ type: "batch" } & BatchDone) | { type: "running" };

/** The import worker thread as the main thread sees it. */
export interface ImportWorkerThread extends Omit<ImportWorker, "start"> {
  /** Starts the thread; resolves once it has opened its database and runs. */
  start(): Promise<void>;
}

const RESTART_DELAY_MS = 1000;

/**
 * Runs the import worker in its own thread and speaks for it on the main
 * thread: wakes it, records its batches in the metrics, restarts it if it
 * dies, and stops it gracefully (the batch in hand is finished first).
 */
export function startImportWorkerThread(config: Config, metrics: Registry, logger: FastifyBaseLogger): ImportWorkerThread {
  const entries = new Counter({
    name: "assetport_import_entries_total",
    help: "Import entries processed, by outcome",
    labelNames: ["outcome"] as const,
    registers: [metrics],
  });
  const batchSeconds = new Histogram({
    name: "assetport_import_batch_seconds",
    help: "Time to validate and apply one import batch",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [metrics],
  });

  let thread: Worker | undefined;
  let stopping = false;
  // What start() returns: resolved by the first thread that reports running
  // (a restarted one too, if the first died while opening its database).
  let running: Promise<void> = Promise.resolve();
  let reportRunning = () => {};

  function spawn(): void {
    const worker = newThread(config);
    thread = worker;
    worker.on("message", (message: FromThread) => {
      if (message.type === "running") return reportRunning();
      entries.inc({ outcome: "success" }, message.success);
      entries.inc({ outcome: "failed" }, message.failed);
      batchSeconds.observe(message.seconds);
    });
    worker.on("error", (err) => logger.error({ err }, "import worker thread failed"));
    worker.on("exit", (code) => {
      if (thread !== worker) return;
      thread = undefined;
      if (stopping) return;
      logger.error({ code }, "import worker thread exited; restarting it");
      setTimeout(() => {
        if (!stopping && !thread) spawn();
      }, RESTART_DELAY_MS).unref();
    });
  }

  return {
    start() {
      stopping = false;
      if (!thread) {
        running = new Promise((resolve) => (reportRunning = resolve));
        spawn();
      }
      return running;
    },
    notify() {
      thread?.postMessage({ type: "wake" } satisfies ToThread);
    },
    async stop() {
      stopping = true;
      const worker = thread;
      if (!worker) return;
      const exited = once(worker, "exit");
      worker.postMessage({ type: "stop" } satisfies ToThread);
      await exited;
    },
  };
}

function newThread(config: Config): Worker {
  const workerData = { config };
  const entry = new URL(import.meta.url.endsWith(".ts") ? "./worker-thread.ts" : "./worker-thread.js", import.meta.url);
  if (entry.pathname.endsWith(".js")) return new Worker(entry, { workerData });
  // Running from TypeScript sources (the tests): load the entry through tsx.
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
