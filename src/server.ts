import pino from "pino";
import { buildApp } from "./app.js";
import { bootstrap } from "./auth/bootstrap.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { createImportWorker } from "./import/worker.js";
import { createServices } from "./services.js";
import { openDatabase } from "./storage/database.js";

// The process entry: configuration, logger, database, worker, listen, and a
// graceful close on SIGTERM/SIGINT. Everything else is in buildApp.

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const logger = pino({ level: config.LOG_LEVEL });
const database = await openDatabase(config.DATABASE_URL);

const first = await bootstrap(database.db, { username: config.ADMIN_USERNAME, password: config.ADMIN_PASSWORD }, Date.now());
if (first.generatedPassword) {
  // Printed once, on the first start only; it is stored hashed.
  console.log(`\nAssetport admin created: username "${config.ADMIN_USERNAME}", password "${first.generatedPassword}"\n`);
}

let worker: ReturnType<typeof createImportWorker> | undefined;
const services = createServices(config, database, (accepted) => worker?.notify(accepted));
const app = await buildApp(services, { logger });
worker = createImportWorker(services, app.log);

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, "shutting down");
  const timer = setTimeout(() => {
    app.log.error("shutdown took longer than 30 s; exiting");
    process.exit(1);
  }, 30_000);
  timer.unref();
  await app.close();
  await worker?.stop();
  await database.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

await app.listen({ port: config.PORT, host: config.HOST });
worker.start();
