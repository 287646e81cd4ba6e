import { isUtf8 } from "node:buffer";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { badRequest } from "./errors.js";
import { checkJsonLimits, type JsonLimits } from "./json-limits.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route's JSON body is checked with these limits instead of the app's (import entries). */
    jsonLimits?: JsonLimits;
  }
}

// The text of each JSON body, kept beside its request: the import stores
// the body as received instead of serialising the parsed entries again.
const rawBodies = new WeakMap<FastifyRequest, string>();

export function rawJsonOf(request: FastifyRequest): string {
  const raw = rawBodies.get(request);
  if (raw === undefined) throw new Error("request has no JSON body");
  return raw;
}

/**
 * JSON only, and strictly UTF-8: Node would otherwise replace invalid bytes
 * silently. A leading BOM is tolerated (some exporters write one). Keys such
 * as "__proto__" are kept as the plain data JSON.parse makes of them (an
 * import reports an unknown key as a warning, the contract's answer) rather
 * than refused as invalid JSON; code that copies client keys does so into
 * null-prototype objects or with spread, never with assignment.
 */
export function registerJsonParser(app: FastifyInstance, limits: JsonLimits): void {
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser("ignore", "ignore");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    let text: string;
    try {
      text = jsonText(body as Buffer);
    } catch (err) {
      return done(err as Error, undefined);
    }
    rawBodies.set(request, text);
    parseJson(request, text, (err, value) => {
      if (err) return done(err, undefined);
      try {
        checkJsonLimits(value, request.routeOptions.config.jsonLimits ?? limits);
      } catch (limitErr) {
        return done(limitErr as Error, undefined);
      }
      done(null, value);
    });
  });
}

/** The text of a JSON document: strictly UTF-8, a leading BOM dropped. */
export function jsonText(bytes: Buffer): string {
  if (!isUtf8(bytes)) throw badRequest("request body is not valid UTF-8");
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
