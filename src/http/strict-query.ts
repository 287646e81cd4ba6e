import type { FastifyInstance } from "fastify";
import { distance } from "fastest-levenshtein";
import { badRequest } from "./errors.js";
import { unstorableText } from "./json-limits.js";

/** The query parameters one operation takes: names, and patterns such as `filter[...]`. */
interface QueryParameters {
  names: string[];
  patterns: Array<{ pattern: RegExp; shown: string }>;
}

interface QuerySchema {
  properties?: Record<string, unknown>;
  patternProperties?: Record<string, unknown>;
}

const byRoute = new WeakMap<object, QueryParameters>();
const NONE: QueryParameters = { names: [], patterns: [] };

/**
 * Refuses every query parameter an operation does not know, before anything
 * else happens to the request (its body is not even read): a typo such as
 * `dryrun=true` must never run a real import, nor `importId=5` answer
 * another import's report. One hook serves every route, from the route's
 * own querystring schema, so the rule cannot be forgotten on a new route.
 * It applies to the routes `appliesTo` names (the API's operations); the
 * files of the docs and the console are left alone.
 *
 * The same hook refuses U+0000 and lone surrogates in the path and the query,
 * as the JSON check does in bodies: PostgreSQL cannot compare such text and
 * SQLite can, so without it the two backends would answer differently.
 */
export function registerStrictQuery(app: FastifyInstance, appliesTo: (url: string) => boolean): void {
  app.addHook("onRequest", async (request) => {
    const url = request.routeOptions.url;
    // No route (a 404 or 405 follows) or a path outside the API's operations.
    if (url === undefined || !appliesTo(url)) return;
    const query = request.query as Record<string, unknown>;
    refuseUnstorableText(request.params as Record<string, unknown> | undefined, "path parameter");
    refuseUnstorableText(query, "query parameter");
    const keys = Object.keys(query);
    if (keys.length === 0) return;
    const known = parametersOf(request.routeOptions.schema?.querystring as QuerySchema | undefined);
    for (const key of keys) {
      if (known.names.includes(key) || known.patterns.some(({ pattern }) => pattern.test(key))) continue;
      throw badRequest(unknownParameterMessage(key, known), [{ location: "querystring", path: `/${key}`, message: "is not a parameter of this operation" }]);
    }
  });
}

function parametersOf(schema: QuerySchema | undefined): QueryParameters {
  if (!schema) return NONE;
  let known = byRoute.get(schema);
  if (!known) {
    known = {
      names: Object.keys(schema.properties ?? {}),
      patterns: Object.keys(schema.patternProperties ?? {}).map((source) => ({ pattern: new RegExp(source, "u"), shown: shownPattern(source) })),
    };
    byRoute.set(schema, known);
  }
  return known;
}

/** `^filter\[` is shown as `filter[...]`. */
function shownPattern(source: string): string {
  return `${source.replace(/^\^/, "").replace(/\\(.)/g, "$1")}...]`;
}

const MAX_SHOWN = 100;
const shown = (text: string) => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text);

function refuseUnstorableText(values: Record<string, unknown> | undefined, what: string): void {
  for (const [key, value] of Object.entries(values ?? {})) {
    for (const text of [key, ...(Array.isArray(value) ? value : [value])]) {
      const problem = typeof text === "string" ? unstorableText(text) : undefined;
      if (problem) throw badRequest(`${what} '${shown(key.replaceAll("\u0000", "\\u0000").toWellFormed())}' holds ${problem}, which cannot be stored`);
    }
  }
}

export function unknownParameterMessage(key: string, known: QueryParameters): string {
  const message = `unknown query parameter '${shown(key)}'`;
  const suggestion = closest(key, known);
  if (suggestion) return `${message}; did you mean ${suggestion}?`;
  const all = [...known.names, ...known.patterns.map((p) => p.shown)];
  return all.length === 0 ? `${message}: this operation takes no query parameters` : `${message}; this operation takes: ${all.join(", ")}`;
}

// Case, `_`, `-` and `.` are ignored, so importId finds import_id and dryrun dry_run.
const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The known name a key is a near miss of: the same once normalised, or one or two edits away. */
function closest(key: string, known: QueryParameters): string | undefined {
  // filters[price] or filter.price is a near miss of filter[...]: compare the part before the bracket.
  const head = normalise(key.split(/[[.]/)[0] ?? key);
  const candidates = [
    ...known.names.map((name) => ({ normalised: normalise(name), shown: name })),
    ...known.patterns.map(({ shown }) => ({ normalised: normalise(shown.split("[")[0] ?? shown), shown })),
  ];
  let best: { shown: string; edits: number } | undefined;
  for (const candidate of candidates) {
    const edits = Math.min(distance(normalise(key), candidate.normalised), distance(head, candidate.normalised));
    if (!best || edits < best.edits) best = { shown: candidate.shown, edits };
  }
  if (!best) return undefined;
  const allowed = Math.min(2, Math.floor(best.shown.length / 3));
  return best.edits <= allowed ? best.shown : undefined;
}
