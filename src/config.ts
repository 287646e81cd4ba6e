import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

// The process environment, validated once at start. The README's
// configuration table lists every variable; test/config.test.ts keeps the two
// in step.
export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: "TCP port to listen on (0 picks a free one)" }),
  HOST: Type.String({ minLength: 1, default: "127.0.0.1", description: "Interface to bind" }),
  DATABASE_URL: Type.String({
    minLength: 1,
    default: "./data/assetport.db",
    description: "SQLite file path, or a postgres:// URL",
  }),
  ADMIN_USERNAME: Type.String({ minLength: 1, maxLength: 255, pattern: "\\S", default: "admin", description: "Admin created on first start" }),
  ADMIN_PASSWORD: Type.Optional(
    Type.String({ minLength: 8, description: "Password of that admin; generated and printed once when unset" }),
  ),
  LOG_LEVEL: Type.Union(
    ["fatal", "error", "warn", "info", "debug", "trace", "silent"].map((level) => Type.Literal(level)),
    { default: "info", description: "pino log level" },
  ),
  MAX_BODY_BYTES: Type.Integer({ minimum: 1024, default: 64 * 1024 * 1024, description: "Largest request body accepted (413 above)" }),
  SESSION_TTL_HOURS: Type.Number({ exclusiveMinimum: 0, default: 168, description: "Lifetime of a session token" }),
  IMPORT_MAX_ENTRIES: Type.Integer({ minimum: 1, default: 50_000, description: "Most entries in one JSON import" }),
  IMPORT_MAX_FILE_ENTRIES: Type.Integer({ minimum: 1, default: 1_000_000, description: "Most entries in one CSV, NDJSON or XLSX import" }),
  IMPORT_MAX_FILE_BYTES: Type.Integer({ minimum: 1024, default: 1024 * 1024 * 1024, description: "Largest CSV, NDJSON or XLSX import (413 above)" }),
  IMPORT_RETENTION_HOURS: Type.Number({
    exclusiveMinimum: 0,
    default: 168,
    description: "How long an ended import's entries are kept for its failed-entry download",
  }),
  IMPORT_LEASE_SECONDS: Type.Number({
    exclusiveMinimum: 0,
    default: 10,
    description: "How long a worker holds an import without a heartbeat before another may take it over",
  }),
  ROLE: Type.Union([Type.Literal("all"), Type.Literal("api"), Type.Literal("worker")], {
    default: "all",
    description: "api: serve HTTP only; worker: run imports only; all: both",
  }),
  IMPORT_BATCH_SIZE: Type.Integer({
    minimum: 1,
    maximum: 20_000,
    default: 2_000,
    description: "Entries the import worker applies per transaction",
  }),
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const known = Object.keys(ConfigSchema.properties);
  // Empty strings count as unset so that `PORT= npm start` means the default.
  const raw = Object.fromEntries(known.filter((key) => env[key] !== undefined && env[key] !== "").map((key) => [key, env[key]]));
  const value = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, raw));
  const error = Value.Errors(ConfigSchema, value).First();
  if (error) {
    const name = error.path.replace(/^\//, "");
    const given = name in raw ? `${JSON.stringify(raw[name])}` : "nothing";
    // A choice lists its values rather than TypeBox's "expected union value".
    const choices = (error.schema.anyOf as Array<{ const?: unknown }> | undefined)?.map((s) => s.const);
    const problem = choices ? `must be one of ${choices.join(", ")}` : error.message.toLowerCase();
    throw new ConfigError(`Invalid configuration: ${name} ${problem} (got ${given})`);
  }
  return value as Config;
}
