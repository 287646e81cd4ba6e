import { createHash } from "node:crypto";
import fc from "fast-check";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateToken, hashToken } from "../../src/auth/tokens.js";
import { ADMIN, client, createField, login, runImport, startTestApp, waitForImport, type Client, type TestApp } from "../helpers/app.js";
import { apiOperations, KNOWN_OPERATIONS, type OpenApiSchema } from "./fixtures.js";

// Issue 7: random and malformed paths, queries, headers and bodies sent to
// every operation of the OpenAPI document, with the admin's token, a viewer's
// session or API key, a garbage token or none. Each answer must be below 500,
// every error in the {code, error} shape, the server must still answer
// /healthz, and a refused request (4xx) must leave the database exactly as it
// was. A failure prints the run's seed: FUZZ_SEED=<seed> replays the run,
// FUZZ_RUNS=<n> runs deeper (the default keeps the file near 20 s a backend).

const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 15);
// One seed for the whole run, operation i using RUN_SEED + i: the requests before
// a failure shape the database it met, so a replay runs them all again.
const RUN_SEED = process.env.FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED);
const MAX_BODY_BYTES = 1024 * 1024;


// What a refused request may legitimately change: recording a failed login
// or a denied action is the audit log's purpose, and an API key's
// last_used_at records that the key was used, whatever the answer.
const UNFINGERPRINTED_TABLES = new Set(["audit_events"]);
const UNFINGERPRINTED_COLUMNS: Record<string, string[]> = { api_keys: ["last_used_at"] };

// ---------------------------------------------------------------- the document

type Schema = OpenApiSchema;

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: Schema }>;
  headers: Array<{ name: string; schema: Schema }>;
  bodySchema?: Schema;
  bodyTypes: string[];
}

/** Every operation of the document, the service routes (/healthz, /metrics) too. */
function operationsOf(document: Schema): Operation[] {
  return apiOperations(document, "/").map(({ method, path, operation, pathParams, queryParams }) => {
    const content: Record<string, { schema?: Schema }> = operation.requestBody?.content ?? {};
    const parameters: Array<{ in: string; name: string; schema?: Schema }> = [...(document.paths[path].parameters ?? []), ...(operation.parameters ?? [])];
    return {
      method,
      path,
      pathParams,
      query: queryParams.map((p) => ({ name: p.name, schema: p.schema ?? {} })),
      headers: parameters.filter((p) => p.in === "header").map((p) => ({ name: p.name.toLowerCase(), schema: p.schema ?? {} })),
      bodySchema: content["application/json"]?.schema ?? Object.values(content)[0]?.schema,
      bodyTypes: Object.keys(content),
    };
  });
}

/**
 * An operation with a request body has more to get wrong and gets three times
 * the runs; one whose body carries a password hashes it (scrypt, about 0.25 s
 * of CPU on purpose) and gets the plain number, to keep the file's time in
 * bounds. Fewer (half were tried) left a password operation, now and then,
 * with every request refused before it: never reached, and the run failed.
 */
function runsFor(op: Operation): number {
  if (op.bodySchema && JSON.stringify(op.bodySchema).includes('"password"')) return RUNS_PER_OPERATION;
  return op.bodyTypes.length > 0 ? 3 * RUNS_PER_OPERATION : RUNS_PER_OPERATION;
}

const operationName = (op: { method: string; path: string }) => `${op.method} ${op.path}`;

// ---------------------------------------------------------------- generators

/** What the seed created, for valid-looking path parameters and keys. */
interface Known {
  assetIds: string[];
  fieldNames: string[];
  importIds: string[];
}

const NASTY_STRINGS = [
  "", " ", "..", "../../etc/passwd", "%", "%zz", "%00", "\u0000", "a\u0000b", "\ud800", "\udfff\ud800", "\uffff", "\ufeff",
  "💩", "e\u0301", "Ω≈ç√∫", "null", "undefined", "NaN", "Infinity", "-Infinity", "-1", "0", "-0", "1.5", "1e400",
  "9007199254740993", "0x10", "true", "false", "[]", "{}", "__proto__", "constructor", "prototype", "toString",
  "hasOwnProperty", "<script>alert(1)</script>", "' OR 1=1 --", '"; drop table assets; --', "${7*7}", "{{7*7}}",
  "\r\n", "=cmd|' /C calc'!A0", "2025-02-30", "2025-03-04T03:21:44.846Z", "http://", "a@b", "x".repeat(256),
];

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const SYSTEM_KEYS = ["id", "uid", "name", "created_at", "created_by", "updated_at", "updated_by", "version", "is_active", "deleted_at", "site_id", "site_name"];
const PROTO_KEYS = ["__proto__", "constructor", "prototype"];

const validId = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9-]{0,20}[A-Za-z0-9])?$/).filter((id) => !id.includes("--"));

const hugeString = fc.constantFrom(1_000, 70_000, 300_000).chain((n) => fc.constantFrom("x", "é", "💩", "\u0000").map((c) => c.repeat(n)));
const anyText = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom(...NASTY_STRINGS));
const latin1Text = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength });

/** A value the schema would accept, or close to it: reaches past validation into the handlers. */
function validish(schema: Schema, known: Known): fc.Arbitrary<unknown> {
  const choices = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])] as Schema[];
  if (choices.length > 0) return fc.oneof(...choices.map((s) => validish(s, known)));
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  if (schema.const !== undefined) return fc.constant(schema.const);
  switch (schema.type) {
    case "integer": {
      const min = schema.minimum ?? -5;
      return fc.integer({ min, max: Math.max(min, Math.min(schema.maximum ?? min + 100, min + 100_000)) });
    }
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(validish(schema.items ?? {}, known), { minLength: schema.minItems ?? 0, maxLength: 4 });
    case "object":
      if (!schema.properties) return fc.dictionary(fc.constantFrom(...known.fieldNames, "x"), fc.string({ maxLength: 10 }), { maxKeys: 3 });
      return validishObject(schema, known);
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? 1_000_000;
  if (schema.format === "date-time") {
    return fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
  }
  if (schema.format === "email") return fc.emailAddress();
  if (schema.pattern) {
    const matching = fc.stringMatching(new RegExp(schema.pattern)).filter((v) => v.length >= minLength && v.length <= maxLength);
    return fc.oneof(matching, fc.string({ minLength, maxLength: Math.max(minLength, Math.min(maxLength, 30)) }));
  }
  return fc.oneof(
    fc.string({ minLength, maxLength: Math.max(minLength, Math.min(maxLength, 30)) }),
    fc.constantFrom(...known.fieldNames, ...known.assetIds, ...known.importIds, "admin", "admin-password-1"),
  );
}

/**
 * The required properties and few of the optional ones: optional properties
 * often exclude each other (options only for a Select), so all of them at
 * once would rarely pass.
 */
function validishObject(schema: Schema, known: Known): fc.Arbitrary<Record<string, unknown>> {
  const properties: Record<string, Schema> = schema.properties ?? {};
  const required = ((schema.required ?? []) as string[]).filter((k) => k in properties);
  const optional = Object.keys(properties).filter((k) => !required.includes(k));
  const chosen = fc.oneof(
    { weight: 2, arbitrary: fc.constant<string[]>([]) },
    { weight: 2, arbitrary: fc.subarray(optional, { maxLength: Math.min(1, optional.length) }) },
    { weight: 1, arbitrary: fc.subarray(optional) },
  );
  return chosen.chain((keys) => fc.record(Object.fromEntries([...required, ...keys].map((k) => [k, validish(properties[k]!, known)]))));
}

/** A JSON text, sometimes one JSON.stringify would never write (huge numbers, escapes of lone surrogates, NUL). */
const jsonFragment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS).map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.constantFrom("1e999", "-1e999", "-0", "123456789012345678901234567890", "0.1e-400", '"\\ud800"', '"\\u0000"', "[]", "{}", "null") },
  { weight: 1, arbitrary: hugeString.map((s) => JSON.stringify(s)) },
);

function objectText(keys: fc.Arbitrary<string>, values: fc.Arbitrary<string>, maxKeys = 6): fc.Arbitrary<string> {
  // Built as text so that "__proto__" is an own key, as a client can send it.
  return fc.array(fc.tuple(keys, values), { maxLength: maxKeys }).map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`);
}

/** Objects with the operation's own property names (and the seeded fields'), valid or wrong-typed values. */
function shapedObject(op: Operation, known: Known): fc.Arbitrary<string> {
  const properties: Record<string, Schema> = op.bodySchema?.properties ?? op.bodySchema?.items?.properties ?? {};
  const names = [...Object.keys(properties), ...known.fieldNames, ...SYSTEM_KEYS, ...PROTO_KEYS];
  const keys = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: anyText });
  const value = fc.oneof(
    jsonFragment,
    ...Object.values(properties).map((s) => validish(s, known).map((v) => JSON.stringify(v) ?? "null")),
    fc.constantFrom(...known.assetIds, ...known.fieldNames).map((v) => JSON.stringify(v)),
  );
  return objectText(keys, value);
}

/** Very many keys or items, alone or as an entry's value. */
const wide = fc.tuple(fc.constantFrom(1_000, 20_000, 100_000), fc.constantFrom("keys", "items", "entry")).map(([n, shape]) => {
  const keys = `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(",")}}`;
  const items = `[${"0,".repeat(n - 1)}0]`;
  return shape === "keys" ? keys : shape === "items" ? items : `[{"id":"wide-1","name":"w","price":${items}}]`;
});

/** Nested arrays or objects, alone, as a value of an entry, or of an entry in an array. */
const deepNesting = fc
  .tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom("array", "object", "entry", "entries"))
  .map(([depth, shape]) => {
    const array = "[".repeat(depth) + "]".repeat(depth);
    if (shape === "array") return array;
    if (shape === "object") return '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    return shape === "entry" ? `{"id":"deep-1","price":${array}}` : `[{"id":"deep-1","price":${array}}]`;
  });

// Stray continuation bytes, overlong forms, a surrogate, a code point past U+10FFFF, a cut-off sequence.
const INVALID_UTF8 = [
  [0xff], [0xfe], [0xc3, 0x28], [0xa0, 0xa1], [0xe2, 0x28, 0xa1], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xf0, 0x9f, 0x92],
];

interface Body {
  payload: string | Buffer;
  contentType?: string;
}

const json = (payload: string | Buffer): Body => ({ payload, contentType: "application/json" });

const csvCell = fc
  .oneof(fc.string({ maxLength: 8 }), fc.constantFrom('"', '""', "a,b", "line\nbreak", "=1+1", "\u0000", ""))
  .map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c));

function bodyFor(op: Operation, known: Known): fc.Arbitrary<Body> {
  const shaped = shapedObject(op, known);
  const entries = fc.array(shaped, { minLength: 1, maxLength: 4 }).map((list) => `[${list.join(",")}]`);
  const someJson = fc.oneof(shaped, entries, jsonFragment);
  const csv = fc
    .tuple(
      fc.subarray(["id", "name", ...known.fieldNames, "__proto__"], { minLength: 1 }),
      fc.array(fc.array(csvCell, { maxLength: 5 }), { maxLength: 4 }),
      fc.constantFrom("\n", "\r\n"),
    )
    .map(([head, rows, newline]) => [head.join(","), ...rows.map((r) => r.join(","))].join(newline));
  const ndjson = fc
    .array(fc.oneof(shaped, deepNesting, jsonFragment, fc.string()), { minLength: 1, maxLength: 3 })
    .map((lines) => ({ payload: lines.join("\n"), contentType: "application/x-ndjson" }));
  const multipart = fc
    .record({
      boundary: fc.constantFrom("b", "----fuzz", "x".repeat(100)),
      declared: fc.constantFrom("same", "other", "none"),
      parts: fc.array(
        fc.record({
          name: fc.constantFrom("file", "other", "", '"'),
          filename: fc.option(fc.constantFrom("a.csv", "a.json", "a.ndjson", "a.xlsx", "../../x", "")),
          type: fc.constantFrom("text/csv", "application/json", "application/x-ndjson", "application/octet-stream", "x/y", ""),
          content: fc.oneof(csv, someJson, deepNesting, fc.string()),
        }),
        { maxLength: 3 },
      ),
      closed: fc.boolean(),
    })
    .map(({ boundary, declared, parts, closed }) => ({
      payload:
        parts
          .map((p) => {
            const filename = p.filename === null ? "" : `; filename="${p.filename}"`;
            return `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${filename}\r\nContent-Type: ${p.type}\r\n\r\n${p.content}\r\n`;
          })
          .join("") + (closed ? `--${boundary}--\r\n` : ""),
      contentType: declared === "none" ? "multipart/form-data" : `multipart/form-data; boundary=${declared === "same" ? boundary : "zz"}`,
    }));

  // File formats weigh more where the operation takes them (the import).
  const file = op.bodyTypes.some((type) => type !== "application/json") ? 3 : 1;
  return fc.oneof(
    { weight: 6, arbitrary: someJson.map(json) },
    { weight: 2, arbitrary: deepNesting.map(json) },
    { weight: 1, arbitrary: wide.map(json) },
    { weight: 1, arbitrary: fc.integer({ min: MAX_BODY_BYTES - 20, max: MAX_BODY_BYTES + 100 }).map((n) => json(JSON.stringify("y".repeat(n)))) },
    { weight: 1, arbitrary: fc.constantFrom(50_001, 1).map((n) => json(`[${Array.from({ length: n }, (_, i) => `{"id":"many-${i}"}`).join(",")}]`)) },
    {
      weight: 2,
      arbitrary: fc.tuple(someJson, fc.constantFrom(...INVALID_UTF8), fc.nat()).map(([text, bad, at]) => {
        const bytes = Buffer.from(text);
        const cut = bytes.length === 0 ? 0 : at % bytes.length;
        return json(Buffer.concat([bytes.subarray(0, cut), Buffer.from(bad), bytes.subarray(cut)]));
      }),
    },
    { weight: 1, arbitrary: someJson.map((text) => json(Buffer.from(text, "utf16le"))) },
    { weight: 2, arbitrary: fc.tuple(someJson, fc.nat()).map(([text, at]) => json(text.slice(0, text.length === 0 ? 0 : at % text.length))) },
    { weight: 1, arbitrary: fc.constantFrom('{"name":"a","name":{"x":1}}', "\ufeff{}", "NaN", "{'a':1}", "[1,]", "", " ", "\u0000", "{\"a\":1}garbage").map(json) },
    {
      weight: 2 * file,
      arbitrary: fc
        .tuple(csv, fc.constantFrom("text/csv", "text/tab-separated-values", "application/x-ndjson", "text/plain"))
        .map(([payload, contentType]) => ({ payload, contentType })),
    },
    { weight: 2 * file, arbitrary: ndjson },
    { weight: 2 * file, arbitrary: multipart },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("a=1&b[c]=2", "__proto__[polluted]=1&constructor[prototype][polluted]=1", "name=x&type=Number")
        .map((payload) => ({ payload, contentType: "application/x-www-form-urlencoded" })),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ payload: Buffer.from(bytes), contentType: XLSX })) },
    { weight: 1, arbitrary: someJson.map((payload) => ({ payload })) },
  );
}

const CONTENT_TYPES = [
  "application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "APPLICATION/JSON", "application/json;;;",
  "text/plain", "text/csv", "text/csv; charset=utf-16le", "application/x-ndjson", "multipart/form-data", "multipart/form-data; boundary=",
  "application/x-www-form-urlencoded", "application/xml", XLSX, "", "garbage", "*/*",
];

const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** encodeURIComponent, except that a lone surrogate becomes its (invalid) UTF-8 bytes instead of throwing. */
function percentEncode(text: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    const lone = ch.length === 1 && c >= 0xd800 && c <= 0xdfff;
    out += lone ? [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join("") : encodeURIComponent(ch);
  }
  return out;
}

/** Values of a path parameter that name something the seed created. */
function seededValues(name: string, known: Known): string[] {
  if (name === "id") return known.assetIds;
  if (name === "name") return known.fieldNames;
  if (name === "import_id") return known.importIds;
  return ["1", "2"];
}

/** A path parameter as it appears in the URL: percent-encoded, or raw on purpose. */
function pathSegment(name: string, known: Known): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...seededValues(name, known), "1", "999999").map(percentEncode) },
    { weight: 2, arbitrary: validId },
    { weight: 2, arbitrary: anyText.filter((s) => s.length > 0).map(percentEncode) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "..", "%2e%2e", "%2F", "..%2F..%2Fetc%2Fpasswd", "%00", "%", "%zz", "%C0%AF", "%FF%FE", "%E2%82", "%ED%A0%80", "%F0%9F%92%A9",
        "a".repeat(5000), percentEncode("é".repeat(1500)), "0", "-1", "9007199254740993", "1e400", "1.5", "0x10", "%20", "null",
        "__proto__", "constructor", "prototype", "é", "💩", "a%2Fb", ";x=1", "~",
      ),
    },
  );
}

function queryString(op: Operation, known: Known): fc.Arbitrary<string> {
  const names = op.query.map((q) => q.name).filter((n) => n !== "filter");
  const filterOps = ["eq", "ne", "in", "all", "gt", "gte", "lt", "lte", "contains", "empty", "nope", "__proto__"];
  const key = fc.oneof(
    ...(names.length > 0 ? [{ weight: 6, arbitrary: fc.constantFrom(...names) }] : []),
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...known.fieldNames, ...SYSTEM_KEYS, "x", "__proto__", ""), fc.constantFrom(...filterOps, ""))
        .map(([f, o]) => (o ? `filter[${f}][${o}]` : `filter[${f}]`)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "filter", "filter[]", "filter[a][b][c]", "filter[price", "__proto__", "__proto__[polluted]", "constructor[prototype][polluted]",
        "filter[__proto__][polluted]", "filter[constructor][prototype]", "a".repeat(3000),
      ),
    },
    { weight: 1, arbitrary: anyText },
  );
  const value = (name: string) =>
    fc.oneof(
      ...op.query.filter((q) => q.name === name).map((q) => ({ weight: 3, arbitrary: validish(q.schema, known).map(asText) })),
      { weight: 2, arbitrary: anyText },
      { weight: 1, arbitrary: fc.constantFrom(...known.fieldNames, ...known.assetIds, "price,name", "id,,", ",".repeat(2000), "x".repeat(70_000)) },
    );
  const pair = key.chain((k) => fc.tuple(fc.constant(k), value(k), fc.constantFrom("encoded", "encoded", "encoded", "raw")));
  const some = fc.array(pair, { maxLength: 6 }).map((pairs) =>
    pairs.length === 0 ? "" : `?${pairs.map(([k, v, how]) => (how === "raw" ? `${k}=${v}` : `${percentEncode(k)}=${percentEncode(v)}`)).join("&")}`,
  );
  // The same parameter thousands of times, or thousands of distinct ones.
  const many = fc
    .tuple(key, fc.constantFrom(2_000, 20_000), fc.boolean())
    .map(([k, n, same]) => `?${Array.from({ length: n }, (_, i) => `${percentEncode(same ? k : `${k}${i}`)}=${i}`).join("&")}`);
  return fc.oneof({ weight: 9, arbitrary: some }, { weight: 1, arbitrary: many });
}

type Principal = "admin" | "viewer" | "viewerKey";
type Auth = Principal | "admin-lowercase-scheme" | "none" | "mutated-admin" | { header: string };

/** Another identity (a viewer is refused every write), a garbage token, or none. */
const otherAuth: fc.Arbitrary<Auth> = fc.oneof(
  fc.constantFrom<Auth>("viewer", "viewerKey"),
  fc.constantFrom<Auth>("admin-lowercase-scheme", "none", "mutated-admin"),
  fc
    .oneof(
      latin1Text(60).map((s) => `Bearer ${s}`),
      latin1Text(60).map((s) => `Bearer apk_${s}`),
      fc.constantFrom(
        "Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4tcGFzc3dvcmQtMQ==", "Token abc", "Bearer a b", "Bearer " + "t".repeat(100_000), "Bearer \u00ff\u00fe",
      ),
    )
    .map((header) => ({ header })),
);

function headersFor(op: Operation): fc.Arbitrary<Partial<Record<string, string>>> {
  const value = fc.oneof({ weight: 4, arbitrary: latin1Text(40) }, { weight: 1, arbitrary: fc.constantFrom("x".repeat(70_000), "") });
  return fc.record(
    {
      "if-match": fc.oneof(fc.constantFrom('"1"', '"2"', 'W/"1"', "*", '"999999999999999999999"', '"-1"', "1", '"1", "2"'), value),
      "idempotency-key": fc.oneof(fc.uuid(), value),
      accept: fc.oneof(fc.constantFrom("application/json", "text/csv", "*/*", "application/xml", "text/html;q=0.1", XLSX), value),
      "accept-encoding": fc.constantFrom("gzip", "br, deflate", "identity;q=0", "garbage"),
      "x-request-id": value,
      "x-forwarded-for": fc.constantFrom("1.2.3.4", "::1", "garbage, 999.999.999.999"),
      ...Object.fromEntries(op.headers.map((h) => [h.name, value])),
    },
    { requiredKeys: [] },
  );
}

interface FuzzRequest {
  method: string;
  url: string;
  auth: Auth;
  headers: Partial<Record<string, string>>;
  body?: Body;
  contentType?: string;
}

const VIEWER = { username: "fuzz-viewer", password: "viewer-password-1" };

const SEED_FIELDS = [
  { name: "price", type: "Decimal", precision: 2 },
  { name: "stock", type: "Integer" },
  { name: "Tracker No.", type: "SingleLineText" },
  { name: "state", type: "Select", options: ["active", "spare"] },
  { name: "labels", type: "MultiSelect", options: ["a", "b"] },
  { name: "bought_on", type: "Date" },
  { name: "checked", type: "Checkbox" },
];
const SEED_ASSETS = ["prod-1", "prod-2", "prod-3", "Asset-9"].map((id, i) => ({ id, name: `Product ${i}`, price: i + 0.25, stock: i, state: "spare" }));

// Values the seeded fields accept (and null, which clears one).
const FIELD_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  price: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(1.25, "13", null)),
  stock: fc.oneof(fc.integer(), fc.constantFrom("7", null)),
  "Tracker No.": fc.string({ maxLength: 40 }),
  state: fc.constantFrom("active", "spare", null),
  labels: fc.constantFrom(["a"], ["a", "b"], [], null),
  bought_on: fc.constantFrom("2025-01-02", "1999-12-31", null),
  checked: fc.oneof(fc.boolean(), fc.constantFrom("true", null)),
};

/** A body that passes the schema, or nearly: it reaches the handler and the database. */
function plausibleBody(op: Operation, known: Known): fc.Arbitrary<string> {
  const schema = op.bodySchema ?? {};
  const item: Schema = schema.type === "array" ? (schema.items ?? {}) : schema;
  const declared = validishObject(item, known);
  const fieldValue = (name: string) =>
    fc.oneof({ weight: 9, arbitrary: FIELD_VALUES[name] ?? fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) });
  const free =
    item.additionalProperties === false
      ? fc.constant({})
      : fc.record(
          {
            ...(op.method === "POST" ? { id: fc.oneof(validId, fc.constantFrom(...known.assetIds)) } : {}),
            name: fc.string({ minLength: 1, maxLength: 20 }),
            ...Object.fromEntries(known.fieldNames.map((f) => [f, fieldValue(f)])),
          },
          { requiredKeys: schema.type === "array" ? ["id"] : [] },
        );
  const object = fc.tuple(declared, free).map(([a, b]) => ({ ...b, ...a }));
  return (schema.type === "array" ? fc.array(object, { minLength: 1, maxLength: 3 }) : object).map((v) => JSON.stringify(v));
}

/** `arb` with probability `p`, else undefined. */
function sometimes<T>(arb: fc.Arbitrary<T>, p: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: Math.round(p * 100), arbitrary: arb }, { weight: Math.round((1 - p) * 100), arbitrary: fc.constant(undefined) });
}

const PARTS = ["method", "path", "query", "headers", "auth", "body"] as const;
type Part = (typeof PARTS)[number];

/**
 * The operation as a client would call it, with values that pass (or nearly
 * pass) its schema, and then up to three of its parts made hostile. One
 * malformed part at a time gets past the checks of the others, down to the
 * code that reads it.
 */
function requestFor(op: Operation, known: Known): fc.Arbitrary<FuzzRequest> {
  const urlPath = (segment: (name: string) => fc.Arbitrary<string>) =>
    fc.tuple(...op.pathParams.map(segment)).map((segments) => {
      let i = 0;
      return op.path.replace(/\{[^}]+\}/g, () => segments[i++]!);
    });
  const goodPath = urlPath((name) => fc.oneof(fc.constantFrom(...seededValues(name, known)).map(percentEncode), validId));
  const goodQuery = fc
    .subarray(op.query.filter((q) => q.name !== "filter"))
    .chain((params) => fc.tuple(...params.map((q) => validish(q.schema, known).map((v) => `${q.name}=${percentEncode(asText(v))}`))))
    .map((pairs) => (pairs.length === 0 ? "" : `?${pairs.join("&")}`));
  const goodHeaders = fc.record(Object.fromEntries(op.headers.map((h) => [h.name, fc.oneof(fc.constantFrom('"1"', '"2"', "*"), fc.uuid())])), { requiredKeys: [] });
  const goodBody = op.bodyTypes.length > 0 ? plausibleBody(op, known).map(json) : fc.constant(undefined);
  const badBody = fc.tuple(sometimes(bodyFor(op, known), op.bodyTypes.length > 0 ? 0.95 : 0.5), sometimes(fc.constantFrom(...CONTENT_TYPES), 0.2));

  // With a body, half the requests have only the body wrong.
  const someParts = fc.subarray<Part>([...PARTS], { maxLength: 3 });
  const badParts = op.bodyTypes.length > 0 ? fc.oneof(someParts, fc.constant<Part[]>(["body"])) : someParts;
  return badParts.chain((bad) =>
    fc
      .record({
        method: bad.includes("method") ? fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS") : fc.constant(op.method),
        path: bad.includes("path") ? urlPath((name) => pathSegment(name, known)) : goodPath,
        query: bad.includes("query") ? queryString(op, known) : goodQuery,
        headers: bad.includes("headers") ? headersFor(op) : goodHeaders,
        auth: bad.includes("auth") ? otherAuth : fc.constant<Auth>("admin"),
        body: bad.includes("body") ? badBody : goodBody.map((body) => [body, undefined] as const),
      })
      .map(({ path, query, body: [body, contentType], ...rest }) => ({ ...rest, url: path + query, body, contentType })),
  );
}

function summary(req: FuzzRequest): string {
  const cut = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}...(${s.length} chars)` : s);
  const bytes = req.body?.payload;
  const payload = bytes === undefined || typeof bytes === "string" ? bytes : `<${bytes.length} bytes> ${bytes.toString("latin1")}`;
  return JSON.stringify({
    method: req.method,
    url: cut(req.url),
    auth: typeof req.auth === "string" ? req.auth : cut(req.auth.header, 80),
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, cut(v ?? "", 80)])),
    contentType: req.contentType ?? req.body?.contentType,
    payload: payload === undefined ? undefined : cut(payload),
  });
}

// ---------------------------------------------------------------- the database

type Fingerprint = Record<string, string>;

/**
 * Every table's row count and content hash, read straight from the database.
 * On PostgreSQL one query hashes every table server-side; SQLite is in process.
 */
async function fingerprintOf(t: TestApp, tables: string[]): Promise<Fingerprint> {
  const { db, dialect } = t.services.database;
  const print: Fingerprint = {};
  if (dialect === "postgres") {
    const selects = tables.map((name) => {
      const row = `(to_jsonb(r) - array[${(UNFINGERPRINTED_COLUMNS[name] ?? []).map((c) => `'${c}'`).join(",")}]::text[])::text`;
      return `select '${name}' as name, count(*)::text || ':' || coalesce(md5(string_agg(${row}, E'\\n' order by ${row})), '') as print from "${name}" r`;
    });
    const { rows } = await sql<{ name: string; print: string }>`${sql.raw(selects.join(" union all "))}`.execute(db);
    for (const row of rows) print[row.name] = row.print;
    return print;
  }
  for (const name of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    for (const row of rows) for (const column of UNFINGERPRINTED_COLUMNS[name] ?? []) delete row[column];
    const texts = rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).sort();
    print[name] = `${rows.length}:${createHash("sha256").update(texts.join("\n")).digest("hex")}`;
  }
  return print;
}

async function tablesOf(t: TestApp): Promise<string[]> {
  const { db, dialect } = t.services.database;
  // Other test files' PostgreSQL schemas share the database: only this one's tables.
  const schema = dialect === "postgres" ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : undefined;
  const tables = await db.introspection.getTables();
  return tables
    .filter((table) => !table.isView && (schema === undefined || table.schema === schema) && !UNFINGERPRINTED_TABLES.has(table.name))
    .map((table) => table.name)
    .sort();
}

// ---------------------------------------------------------------- the test

describe("fuzzing every operation of the OpenAPI document", () => {
  let t: TestApp;
  let admin: Client;
  // The identities requests are sent as: their tokens, and their users' rows as they were at the start.
  const tokens = {} as Record<Principal, string>;
  const users = {} as Record<"admin" | "viewer", Record<string, unknown>>;
  let known: Known;
  let ops: Operation[];
  let tables: string[];

  beforeAll(async () => {
    // A small body limit makes the 413 path cheap to reach.
    t = await startTestApp({ MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
    admin = t.api;
    tokens.admin = admin.token;
    expect((await admin.post("/api/v4/users", { username: VIEWER.username, password: VIEWER.password, role: "viewer" })).statusCode).toBe(201);
    tokens.viewer = (await login(t.app, VIEWER.username, VIEWER.password)).token;
    tokens.viewerKey = await createViewerKey();
    for (const [name, username] of [["admin", ADMIN.username], ["viewer", VIEWER.username]] as const) {
      users[name] = (await sql<Record<string, unknown>>`select * from users where username = ${username}`.execute(t.services.database.db)).rows[0]!;
    }
    const importId = await seed();
    known = { assetIds: SEED_ASSETS.map((e) => e.id), fieldNames: SEED_FIELDS.map((f) => f.name), importIds: [String(importId)] };

    const document = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json();
    ops = operationsOf(document);
    tables = await tablesOf(t);
  });
  afterAll(() => t?.close());

  it("finds at least every operation the document had when this test was written", () => {
    expect(ops.map(operationName)).toEqual(expect.arrayContaining(KNOWN_OPERATIONS));
    expect(ops.length).toBeGreaterThanOrEqual(KNOWN_OPERATIONS.length);
    expect(tables).toEqual(expect.arrayContaining(["assets", "asset_fields", "imports", "sessions", "tenants", "users"]));
  });

  function send(req: FuzzRequest): Promise<LightMyRequestResponse> {
    const headers: Partial<Record<string, string>> = { ...req.headers };
    if (req.auth === "admin" || req.auth === "viewer" || req.auth === "viewerKey") headers.authorization = `Bearer ${tokens[req.auth]}`;
    else if (req.auth === "admin-lowercase-scheme") headers.authorization = `bearer  ${admin.token} `;
    else if (req.auth === "mutated-admin") headers.authorization = `Bearer ${admin.token.slice(0, -1)}${admin.token.endsWith("A") ? "B" : "A"}`;
    else if (req.auth !== "none") headers.authorization = req.auth.header;
    const contentType = req.contentType ?? req.body?.contentType;
    if (contentType !== undefined) headers["content-type"] = contentType;
    const options: InjectOptions = { method: req.method as InjectOptions["method"], url: req.url, headers };
    if (req.body) options.payload = req.body.payload;
    return t.app.inject(options);
  }

  async function createViewerKey(): Promise<string> {
    const res = await admin.post("/api/v4/api-keys", { name: "fuzz viewer", role: "viewer" });
    expect(res.statusCode).toBe(201);
    return res.json().key;
  }

  /**
   * A request that succeeded may have logged a user out, changed their
   * password or role, disabled them, or deleted the viewer's key: put the
   * users back as they were, with sessions made directly in the database (a
   * login could be throttled), and a new key.
   */
  async function restorePrincipals(): Promise<void> {
    const { db } = t.services.database;
    for (const [name, row] of Object.entries(users) as Array<["admin" | "viewer", Record<string, unknown>]>) {
      const { id, ...columns } = row;
      const current = (await sql<Record<string, unknown>>`select * from users where id = ${id}`.execute(db)).rows[0];
      const changed = Object.keys(columns).filter((k) => !["updated_at", "last_login_at"].includes(k) && String(current?.[k]) !== String(columns[k]));
      if (changed.length > 0) {
        await sql`update users set ${sql.join(changed.map((k) => sql`${sql.ref(k)} = ${columns[k]}`))} where id = ${id}`.execute(db);
      }
      if ((await client(t.app, tokens[name]).get("/api/v4/assets?limit=1")).statusCode === 200) continue;
      const token = generateToken();
      const now = Date.now();
      await t.services.sessions.create({
        token_hash: hashToken(token),
        tenant_id: Number(row.tenant_id),
        user_id: Number(id),
        created_at: now,
        expires_at: now + 3600_000,
      });
      tokens[name] = token;
    }
    admin = client(t.app, tokens.admin);
    if ((await client(t.app, tokens.viewerKey).get("/api/v4/assets?limit=1")).statusCode !== 200) tokens.viewerKey = await createViewerKey();
  }

  /** Creates the seed fields and assets that are missing (a fuzzed request may have deleted them); returns the import's ID. */
  async function seed(): Promise<number> {
    for (const field of SEED_FIELDS) {
      if ((await admin.get(`/api/v4/asset-fields/${encodeURIComponent(field.name)}`)).statusCode === 404) await createField(admin, field);
    }
    for (const { id } of SEED_ASSETS) {
      if ((await admin.get(`/api/v4/assets/${id}`)).statusCode === 404) await admin.post(`/api/v4/assets/${id}/restore`);
    }
    const status = await runImport(admin, SEED_ASSETS);
    expect(status.status).toBe("COMPLETED");
    return status.import_id;
  }

  it(
    "answers every operation below 500, errors as {code, error}, and a refused request changes nothing",
    async () => {
      const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
      const arrayKeys = Object.getOwnPropertyNames(Array.prototype).sort();
      const failures: string[] = [];
      const reached = new Set<string>();
      let before: Fingerprint | undefined;

      const exercise = async (op: Operation, req: FuzzRequest) => {
        const start = before ?? (await fingerprintOf(t, tables));
        // Unknown until this request's answer has been checked: a failed check leaves it to be read again.
        before = undefined;
        let res: LightMyRequestResponse;
        try {
          res = await send(req);
        } catch (err) {
          throw new Error(`the request threw: ${(err as Error).stack}`);
        }
        const status = res.statusCode;
        if (![401, 403, 405, 413, 414, 415].includes(status)) reached.add(operationName(op));
        expect(status, `status; body: ${res.body.slice(0, 500)}`).toBeLessThan(500);
        if (status >= 400 && req.method !== "HEAD") {
          expect(res.headers["content-type"], "error content type").toMatch(/^application\/json/);
          let body: unknown;
          expect(() => (body = JSON.parse(res.body)), `error body is JSON: ${res.body.slice(0, 500)}`).not.toThrow();
          expect(body, "error body").toMatchObject({ code: status, error: expect.stringMatching(/\S/) });
          expect(Object.keys(body as object).filter((k) => !["code", "error", "details"].includes(k)), "error body keys").toEqual([]);
        }
        const after = await fingerprintOf(t, tables);
        if (status >= 400) {
          before = after;
          const changed = tables.filter((name) => start[name] !== after[name]);
          expect(changed.join(", "), `tables changed by a refused request (${status} ${res.body.slice(0, 300)})`).toBe("");
        } else {
          // A success may change anything; an accepted import runs in the background.
          const importId = op.path === "/api/v4/assets-import" && req.method === "POST" ? (res.json() as { import_id?: number }).import_id : undefined;
          if (importId !== undefined) await waitForImport(admin, importId);
          if (req.method !== "GET" && req.method !== "HEAD") await restorePrincipals();
        }
        expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode, "/healthz after the request").toBe(200);
      };

      for (const [i, op] of ops.entries()) {
        const details = await fc.check(
          fc.asyncProperty(requestFor(op, known), (req) => exercise(op, req)),
          { numRuns: runsFor(op), seed: RUN_SEED + i },
        );
        await restorePrincipals();
        await seed();
        before = undefined;
        if (details.failed) {
          const req = details.counterexample?.[0] as FuzzRequest | undefined;
          const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
          failures.push(
            `${operationName(op)} (replay: FUZZ_SEED=${RUN_SEED}; ${details.numShrinks} shrinks)\n` +
              `  request: ${req ? summary(req) : "?"}\n  error: ${error.slice(0, 1500)}`,
          );
        }
      }

      expect(failures, failures.join("\n\n")).toEqual([]);
      // Each operation must have been reached past authentication and content negotiation at least once.
      expect(ops.map(operationName).filter((name) => !reached.has(name)), "operations never reached").toEqual([]);
      expect(Object.getOwnPropertyNames(Object.prototype).sort(), "Object.prototype gained keys").toEqual(prototypeKeys);
      expect(Object.getOwnPropertyNames(Array.prototype).sort(), "Array.prototype gained keys").toEqual(arrayKeys);
      expect(({} as Record<string, unknown>).polluted, "({}).polluted").toBeUndefined();
    },
    300_000,
  );
});
