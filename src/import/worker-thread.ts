import { parentPort, workerData } from "node:worker_threads";
import pino from "pino";
import type { Config } from "../config.js";
import { createServices } from "../services.js";
import { openDatabase } from "../storage/database.js";
import { createImportWorker } from "./worker.js";
import type { ToThread } from "./worker-host.js";

// Entry of the import worker's thread. It has its own database connection
// and event loop: batches never delay an API request, and the import uses
// the second core while the API thread parses and accepts the next body.

const config = (workerData as { config: Config }).config;
const port = parentPort!;
const logger = pino({ level: config.LOG_LEVEL }).child({ thread: "import-worker" });
const database = await openDatabase(config.DATABASE_URL, { worker: true, leaseMs: config.IMPORT_LEASE_SECONDS * 1000 });
const worker = createImportWorker(createServices(config, database), logger, (batch) => port.postMessage({ type: "batch", ...batch }));

// Imports accepted by other processes (PostgreSQL) wake the worker at once.
const stopListening = database.listenForImports(() => worker.notify());

port.on("message", (message: ToThread) => {
  if (message.type === "wake") worker.notify();
  else if (message.type === "stop") {
    // Finish the batch in hand, close the connections, then let the thread end.
    void worker
      .stop()
      .then(() => stopListening())
      .then(() => database.close())
      .finally(() => port.close());
  }
});
worker.start();
port.postMessage({ type: "running" });
