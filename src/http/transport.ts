import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import type { FastifyInstance } from "fastify";
import { ConfigError, type Config } from "../config.js";
import { HttpError } from "./errors.js";

/** The certificate and key to serve HTTPS with, when both are configured. */
export function tlsOptions(config: Config): { cert: Buffer; key: Buffer } | undefined {
  if (config.TLS_CERT_FILE === undefined || config.TLS_KEY_FILE === undefined) return undefined;
  const read = (variable: "TLS_CERT_FILE" | "TLS_KEY_FILE") => {
    try {
      return readFileSync(config[variable]!);
    } catch (err) {
      throw new ConfigError(`Invalid configuration: ${variable} cannot be read (${(err as Error).message})`);
    }
  };
  const files = { cert: read("TLS_CERT_FILE"), key: read("TLS_KEY_FILE") };
  try {
    createSecureContext(files);
  } catch (err) {
    throw new ConfigError(`Invalid configuration: TLS_CERT_FILE and TLS_KEY_FILE are not a PEM certificate and its key (${(err as Error).message})`);
  }
  return files;
}

/**
 * With REQUIRE_HTTPS, a request that did not arrive over TLS is refused
 * before anything is read or done, so a token sent in clear text is at least
 * not accepted. Behind a proxy that ends TLS, `request.protocol` follows
 * X-Forwarded-Proto only from a peer listed in TRUST_PROXY; otherwise a
 * client could claim HTTPS with a header. Health probes stay open on plain HTTP.
 */
export function registerHttpsRequirement(app: FastifyInstance, config: Config, exempt: string[]): void {
  if (!config.REQUIRE_HTTPS) return;
  app.addHook("onRequest", async (request) => {
    // By route, not raw URL: a query string or an escaped path must not change the answer.
    if (request.protocol === "https" || exempt.includes(request.routeOptions.url ?? "")) return;
    throw new HttpError(403, "HTTPS is required: send this request to the https:// address of the service");
  });
}
