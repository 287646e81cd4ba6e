import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { isIP } from "node:net";

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
  LOGIN_MAX_FAILURES: Type.Integer({
    minimum: 1,
    default: 5,
    description: "Failed logins for one username from one address within LOGIN_WINDOW_SECONDS before 429",
  }),
  LOGIN_MAX_FAILURES_PER_ADDRESS: Type.Integer({
    minimum: 1,
    default: 50,
    description: "Failed logins from one address, any usernames, within LOGIN_WINDOW_SECONDS before 429",
  }),
  LOGIN_WINDOW_SECONDS: Type.Integer({ minimum: 1, default: 900, description: "The window failed logins are counted in" }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({
    minimum: 0,
    default: 1200,
    description: "Requests per minute per token (per address without one) before 429; 0 turns the limit off",
  }),
  TLS_CERT_FILE: Type.Optional(Type.String({ minLength: 1, description: "PEM certificate (chain): with TLS_KEY_FILE, serve HTTPS" })),
  TLS_KEY_FILE: Type.Optional(Type.String({ minLength: 1, description: "PEM private key of TLS_CERT_FILE" })),
  REQUIRE_HTTPS: Type.Boolean({ default: false, description: "Refuse requests that did not arrive over HTTPS (403)" }),
  TRUST_PROXY: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "Addresses or CIDR ranges of the proxies in front, comma-separated (or loopback, linklocal, uniquelocal): their X-Forwarded-For and X-Forwarded-Proto count",
    }),
  ),
  JSON_MAX_DEPTH: Type.Integer({ minimum: 2, maximum: 1000, default: 32, description: "Deepest nesting of arrays and objects in a JSON body" }),
  JSON_MAX_KEYS: Type.Integer({ minimum: 1, default: 1000, description: "Most keys in one JSON object of a body" }),
  JSON_MAX_STRING_LENGTH: Type.Integer({ minimum: 256, default: 1_000_000, description: "Longest string (or key) in a JSON body, in characters" }),
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
  const config = value as Config;
  const badProxy = config.TRUST_PROXY?.split(",").find((entry) => !isProxyAddress(entry.trim()));
  if (badProxy !== undefined) {
    throw new ConfigError(`Invalid configuration: TRUST_PROXY has '${badProxy.trim()}', which is not an address, a CIDR range, loopback, linklocal or uniquelocal`);
  }
  if ((config.TLS_CERT_FILE === undefined) !== (config.TLS_KEY_FILE === undefined)) {
    const missing = config.TLS_CERT_FILE === undefined ? "TLS_CERT_FILE" : "TLS_KEY_FILE";
    throw new ConfigError(`Invalid configuration: ${missing} must be set too: HTTPS needs both a certificate and its key`);
  }
  return config;
}

/** An entry of TRUST_PROXY as Fastify's proxy-addr reads it. */
function isProxyAddress(entry: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(entry)) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}
