import pino from "pino";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { createRuntime } from "./runtime.js";

// The process entry: configuration, listen, bootstrap, start the worker, and
// a graceful close on SIGTERM/SIGINT. Everything else is in createRuntime.

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  stop(err.message);
}

const runtime = await createRuntime(config, pino({ level: config.LOG_LEVEL })).catch((err: unknown) =>
  // A setting only found wrong while starting (an unreadable TLS file) names itself.
  stop(err instanceof ConfigError ? err.message : `DATABASE_URL: cannot open the database ${describeUrl(config.DATABASE_URL)}: ${(err as Error).message}`),
);

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
if (config.ROLE !== "worker") {
  await runtime.app.listen({ port: config.PORT, host: config.HOST }).catch((err: NodeJS.ErrnoException) =>
    stop(
      err.code === "EADDRINUSE"
        ? `PORT: ${config.PORT} is already in use on ${config.HOST}`
        : `HOST: cannot listen on ${config.HOST}:${config.PORT} (${err.code ?? err.message})`,
    ),
  );
}

const started = await runtime.start();
if (started.created) runtime.app.log.info({ username: config.ADMIN_USERNAME, password_generated: started.generatedPassword !== undefined }, "admin created");
if (started.generatedPassword) {
  // Printed once, on the first start only, on stderr beside (never inside)
  // the JSON log stream that log collectors keep; it is stored hashed.
  process.stderr.write(`\nAssetport admin created: username "${config.ADMIN_USERNAME}", password "${started.generatedPassword}"\n\n`);
}
runtime.app.log.info({ role: config.ROLE }, "service ready");

/** A start-up failure: one line naming the setting, no stack trace. */
function stop(message: string): never {
  console.error(message);
  process.exit(1);
}

function describeUrl(url: string): string {
  // Never print a password that may be in a postgres:// URL.
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
