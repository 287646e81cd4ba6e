import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import { bootstrap, type BootstrapResult } from "./auth/bootstrap.js";
import type { Config } from "./config.js";
import { startImportWorkerThread, type ImportWorkerThread } from "./import/worker-host.js";
import { createServices, type Services } from "./services.js";
import { openDatabase } from "./storage/database.js";

export interface Runtime {
  app: FastifyInstance;
  services: Services;
  worker: ImportWorkerThread;
  /**
   * Finishes the start: creates the tenant `default` and its admin on an
   * empty database, starts the import worker thread unless ROLE=api, and
   * only then marks the service ready (/readyz, and the API answers). The
   * result names a generated password when ADMIN_PASSWORD was not given.
   * Called once the service could listen, so that a failed start never
   * shows a password.
   */
  start(): Promise<BootstrapResult>;
  /** Stops taking requests, lets the worker finish its batch, closes the database. */
  close(): Promise<void>;
}

/**
 * Everything the service runs, wired together but not listening and with the
 * import worker thread not started: the process entry and the tests share this.
 */
export async function createRuntime(config: Config, logger: FastifyBaseLogger): Promise<Runtime> {
  const database = await openDatabase(config.DATABASE_URL);

  let worker: ImportWorkerThread | undefined;
  const services = createServices(config, database, { onImportAccepted: () => worker?.notify() });
  const app = await buildApp(services, { logger });
  worker = startImportWorkerThread(config, services.metrics, app.log);

  return {
    app,
    services,
    worker,
    async start() {
      const admin = { username: config.ADMIN_USERNAME, password: config.ADMIN_PASSWORD };
      const result = await bootstrap(database.db, admin, Date.now());
      if (config.ROLE !== "api") await worker.start();
      services.readiness.markReady();
      return result;
    },
    async close() {
      // The worker is told to stop at once, not after HTTP has drained.
      await Promise.all([app.close(), worker.stop()]);
      await database.close();
    },
  };
}
