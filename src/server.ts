import pino from "pino";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { createRuntime } from "./runtime.js";

// The process entry: configuration, logger, listen, and a graceful close on
// SIGTERM/SIGINT. Everything else is in createRuntime.

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const runtime = await createRuntime(config, pino({ level: config.LOG_LEVEL }));
if (runtime.generatedPassword) {
  // Printed once, on the first start only; it is stored hashed.
  console.log(`\nAssetport admin created: username "${config.ADMIN_USERNAME}", password "${runtime.generatedPassword}"\n`);
}

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  runtime.app.log.info({ signal }, "shutting down");
  const timer = setTimeout(() => {
    runtime.app.log.error("shutdown took longer than 30 s; exiting");
    process.exit(1);
  }, 30_000);
  timer.unref();
  await runtime.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

// ROLE=api serves HTTP only, ROLE=worker runs imports only; any number of
// each can share one PostgreSQL database.
if (config.ROLE !== "worker") await runtime.app.listen({ port: config.PORT, host: config.HOST });
if (config.ROLE !== "api") {
  runtime.worker.start();
  runtime.app.log.info({ role: config.ROLE }, "import worker started");
}
