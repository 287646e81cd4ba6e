import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantStore } from "../../src/storage/tenant-store.js";
import { ADMIN, client, createField, startTestApp, waitForImport, type Client, type TestApp } from "../helpers/app.js";
import { createTenantAdmin } from "../helpers/tenants.js";
import { apiOperations, KNOWN_OPERATIONS as KNOWN_API_OPERATIONS, responseText, type OpenApiOperation, type OpenApiSchema } from "./fixtures.js";

// Issue 7: isolation lives in the storage layer, and this proves it over
// HTTP. Tenant A ('default') holds real data; an admin of tenant B (the
// strongest role a tenant user has) then calls every operation of the
// OpenAPI document, naming A's objects in paths, queries and bodies. No
// answer may reveal A's data, every answer about an A object must be the
// one a missing object gets, and A's data must end exactly as it was.
//
// How a leak is seen: every text A stores that B never sends contains
// SECRET, and A's identifiers (asset IDs, field and user names) must not
// appear in an answer unless B itself sent them in some request before.

const SECRET = "SECRETA";
const B = { username: "b-admin", password: "b-admin-password-1" };
const B_NEW_PASSWORD = "b-admin-password-2";
const A_USER_PASSWORD = "a-user-password-1";

// Logging in and out is skipped: login names no tenant object (a username
// and password, answered the same for every unknown user), and logging out
// would end B's session in the middle of the walk; auth.test.ts covers both.
const SKIPPED = new Set(["POST /api/v4/auth/token", "DELETE /api/v4/auth/token"]);

// The operations that exist today, bar login and logout: each must still be
// walked (a renamed or lost route shows here rather than silently leaving the walk).
const KNOWN_OPERATIONS = KNOWN_API_OPERATIONS.filter((op) => op.includes(" /api/v4/") && !SKIPPED.has(op));

// A's identifiers. B names some of them; the others must never appear.
const A_FIELDS = [
  { name: "a_serial", type: "SingleLineText", indexed: true, description: `${SECRET} serial numbers` },
  { name: "a_count", type: "Integer", description: `${SECRET} counts` },
  { name: "a_colour", type: "Select", options: [`${SECRET}-red`, `${SECRET}-blue`] },
  { name: "a_hidden", type: "SingleLineText" },
  { name: "shared_field", type: "SingleLineText", description: `${SECRET} shared` },
];
const A_ASSET_IDS = ["aiso-001", "aiso-002", "aiso-003", "aiso-004", "aiso-005", "aiso-006", "shared-001"];
const A_IMPORTED_IDS = ["aimp-001", "aimp-002", "aimp-003", "aimp-004"];
const A_PENDING_IDS = ["apend-001", "apend-002"];
const A_USERNAMES = ["a-shared-user", "a-hidden-user"];
const A_IDENTIFIERS = [...A_FIELDS.map((f) => f.name), ...A_ASSET_IDS, ...A_IMPORTED_IDS, ...A_PENDING_IDS, "aimp-009", ...A_USERNAMES];

function assetOfA(id: string, n: number): Record<string, unknown> {
  return {
    id,
    name: `Vault ${n} ${SECRET}`,
    a_serial: `${SECRET}-SN-${n}`,
    a_count: n,
    a_colour: n % 2 ? `${SECRET}-red` : `${SECRET}-blue`,
    a_hidden: `${SECRET} hidden ${n}`,
    shared_field: `${SECRET} shared ${n}`,
  };
}

/** A's waiting import, with an Idempotency-Key that B repeats. */
function pendingImportOfA(): InjectOptions {
  return {
    method: "POST",
    url: "/api/v4/assets-import",
    payload: A_PENDING_IDS.map((id, n) => assetOfA(id, 40 + n)),
    headers: { "idempotency-key": "a-pending-import" },
  };
}

/** A's objects that B names. */
interface TenantA {
  tenantId: number;
  /** An active asset, and a deleted one (a restore is the interesting write). */
  assetIds: string[];
  fieldName: string;
  /** A completed import with a failed entry, and one still waiting. */
  importIds: number[];
  /** The users A made, and A's admin. */
  userIds: number[];
  keyIds: number[];
  keySecret: string;
  siteIds: string[];
  statusSetIds: string[];
  categoryIds: string[];
}

// Every path parameter of the document, by name: the A objects B names in
// its place. An operation with a parameter missing here fails the walk, so
// a new route makes this table grow. Each value is also tried against a
// missing object: B must not be able to tell A's object from none.
const PATH_PARAMS: Record<string, { a: (a: TenantA) => Array<string | number>; missing: string | number }> = {
  id: { a: (a) => a.assetIds, missing: "zz-missing-001" },
  name: { a: (a) => [a.fieldName], missing: "zz_missing_field" },
  import_id: { a: (a) => a.importIds, missing: 2 ** 31 - 1 },
  user_id: { a: (a) => a.userIds, missing: 2 ** 31 - 1 },
  key_id: { a: (a) => a.keyIds, missing: 2 ** 31 - 1 },
  site_id: { a: (a) => a.siteIds, missing: "zz-missing-site" },
  status_set_id: { a: (a) => a.statusSetIds, missing: "zz-missing-set" },
  category_id: { a: (a) => a.categoryIds, missing: "zz-missing-category" },
};

// Query parameters naming A's things, tried on every GET that has one, as
// raw query text. A parameter not listed is tried with each of its values
// if it has a list (every export format, every audit event), or true if it
// is a boolean (idonly, system and the like).
const QUERY_PROBES: Record<string, (a: TenantA) => string[]> = {
  ids: (a) => [`ids=${a.assetIds.join(",")}`],
  import_id: (a) => a.importIds.map((id) => `import_id=${id}`),
  search: () => ["search=Vault"],
  prefix: () => ["prefix=aiso-"],
  filter: (a) => [`filter[${a.fieldName}]=x`, `filter[${a.fieldName}][contains]=SN`, "filter[shared_field][contains]=shared"],
  order: (a) => [`order=${a.fieldName}`, "order=shared_field&orderdesc=true"],
  fields: (a) => [`fields=${a.fieldName},shared_field`, "fields=shared_field,name"],
};

/** Status B must get, where the default (404 when the path names an A object, else 2xx) is not it. */
const EXPECTED: Record<string, number[]> = {
  // The latest import of B's own, once B has one.
  "GET /api/v4/assets-import": [200, 404],
  "GET /api/v4/assets-import/full-report": [200, 404],
  // Naming A's import is naming a missing one.
  "GET /api/v4/assets-import/full-report?import_id": [404],
};

/** A body B sends, with the statuses it must get (default: the operation's). */
interface BodyProbe {
  body: Record<string, unknown> | unknown[];
  statuses?: number[];
}

// A valid body for every operation that takes one: B aims it at A's object
// (PATCH, password reset) or at A's names in B's own namespace (POST). An
// operation with a body and no entry here fails the walk.
const BODIES: Record<string, () => BodyProbe[]> = {
  // IDs and field names are per tenant: B may have its own with A's names.
  "POST /api/v4/asset-fields": () => [{ body: { name: "shared_field", type: "SingleLineText", description: "B's own" }, statuses: [201] }],
  "PATCH /api/v4/asset-fields/{name}": () => [{ body: { description: "B was here", options: ["b-option"] } }],
  "POST /api/v4/assets": () => [{ body: { id: "shared-001", name: "B's own shared" }, statuses: [201] }],
  "PATCH /api/v4/assets/{id}": () => [{ body: { name: "B was here" } }],
  "POST /api/v4/assets:batch-create": () => [{ body: [{ id: "shared-002", name: "B's own batch" }], statuses: [201] }],
  // A's assets are missing to B: all or nothing, B's batch changes nothing.
  "POST /api/v4/assets:batch-patch": () => [{ body: [{ id: "aiso-001", name: "B was here" }], statuses: [404] }],
  "POST /api/v4/assets:batch-get": () => [{ body: { ids: ["aiso-001", "aiso-002"] }, statuses: [200] }],
  // A preview reads B's body against B's fields: nothing of A's, nothing written.
  "POST /api/v4/assets-import/preview": () => [{ body: [{ id: "aiso-001", name: "B previewed", a_serial: "x" }], statuses: [200] }],
  "POST /api/v4/assets-import": () => [
    {
      body: [
        { id: "shared-001", name: "B imported shared", shared_field: "B shared value" },
        { id: "b-imp-001", name: "B imported" },
      ],
      statuses: [202],
    },
  ],
  "POST /api/v4/users": () => [
    { body: { username: "b-user-1", password: "b-user-password-1", role: "viewer", full_name: "B person" }, statuses: [201] },
    // A username logs in without a tenant, so it is unique across tenants
    // (docs): 409 tells B that the name is taken somewhere, and nothing else.
    { body: { username: A_USERNAMES[0], password: "b-user-password-2", role: "viewer" }, statuses: [409] },
  ],
  "PATCH /api/v4/users/{user_id}": () => [{ body: { role: "viewer", full_name: "B was here", email: "b-was-here@b.example", disabled: true } }],
  "POST /api/v4/users/{user_id}/password": () => [{ body: { password: "b-chosen-password-1" } }],
  "PUT /api/v4/users/me/password": () => [{ body: { current_password: B.password, new_password: B_NEW_PASSWORD }, statuses: [204] }],
  "POST /api/v4/api-keys": () => [{ body: { name: "b key", role: "viewer" }, statuses: [201] }],
  "POST /api/v4/sites": () => [{ body: { id: "shared-site", name: "B's own site" }, statuses: [201] }],
  "PATCH /api/v4/sites/{site_id}": () => [{ body: { name: "B was here", description: "B was here" } }],
  "POST /api/v4/status-sets": () => [{ body: { id: "shared-set", name: "B's own set", statuses: [{ id: "b-new", name: "B new" }] }, statuses: [201] }],
  "PATCH /api/v4/status-sets/{status_set_id}": () => [{ body: { name: "B was here", statuses: [{ id: "b-was-here", name: "B was here" }] } }],
  // B's own category may name B's own set and field, which have A's names.
  "POST /api/v4/categories": () => [{ body: { id: "shared-category", name: "B's own category", status_set_id: "shared-set", fields: ["shared_field"] }, statuses: [201] }],
  "PATCH /api/v4/categories/{category_id}": () => [{ body: { name: "B was here", parent_id: null } }],
  "POST /api/v4/tenants": () => [
    { body: { slug: "b-made", name: "B made", admin: { username: "b-made-admin", password: "b-made-password-1" } } },
  ],
};

function expectedOf(op: OpenApiOperation): number[] {
  return EXPECTED[op.key] ?? (op.pathParams.length > 0 ? [404] : [200, 201, 202, 204]);
}

/** Operations refused to B whatever it asks (403): tenants are a system administrator's, and B's admin is none. */
function refusedToB(op: OpenApiOperation): boolean {
  return op.path === "/api/v4/tenants" || op.path.startsWith("/api/v4/tenants/");
}

/** With an API key, also the operations whose access (in the document) needs a session. */
function refusedToKeys(op: OpenApiOperation): boolean {
  return refusedToB(op) || String(op.operation.description ?? "").includes("not an API key");
}

function enumValues(schema: OpenApiSchema | undefined): string[] {
  if (!schema) return [];
  if (Array.isArray(schema.enum)) return schema.enum.map(String);
  return ((schema.anyOf ?? schema.oneOf ?? []) as OpenApiSchema[]).flatMap((s) => (s.const !== undefined ? [String(s.const)] : (s.enum ?? []).map(String)));
}

/** Every combination of A's values for an operation's path parameters. */
function pathCombinations(op: OpenApiOperation, a: TenantA): Array<Record<string, string | number>> {
  let combinations: Array<Record<string, string | number>> = [{}];
  for (const name of op.pathParams) {
    const values = PATH_PARAMS[name]!.a(a);
    combinations = combinations.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  }
  return combinations;
}

function fillPath(path: string, values: Record<string, string | number>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(values[name])));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function withQuery(url: string, parts: string[]): string {
  return parts.length === 0 ? url : `${url}?${parts.join("&")}`;
}

/** The query every GET gets: the largest page and deleted assets too, so that a list shows all it would ever show. */
function baseQuery(op: OpenApiOperation): string[] {
  const names = new Set(op.queryParams.map((p) => p.name));
  return [
    ...(names.has("limit") ? ["limit=1000"] : []),
    ...(names.has("include_inactive") ? ["include_inactive=true"] : []),
    // The counts by value need something to group by: the category, which names A's categories.
    ...(names.has("group_by") ? ["group_by=category"] : []),
  ];
}

async function signIn(app: FastifyInstance, username: string, password: string): Promise<{ api: Client; tenantId: number; userId: number }> {
  const res = await app.inject({ method: "POST", url: "/api/v4/auth/token", payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
  const { token, User } = res.json();
  return { api: client(app, token), tenantId: User.tenant_id, userId: User.id };
}

function send(api: Client, method: string, url: string, body?: unknown): Promise<LightMyRequestResponse> {
  return api.request({ method: method as "GET", url, ...(body === undefined ? {} : { payload: body as object }) });
}

/** A write's answer; throws unless it succeeded. */
function succeeded(res: LightMyRequestResponse, what: string): Record<string, any> {
  if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res.body === "" ? {} : res.json();
}

/** Fills tenant A through its API: fields, assets, history, imports, users and an API key. */
async function populateTenantA(t: TestApp): Promise<TenantA> {
  const a = t.api;

  for (const field of A_FIELDS) await createField(a, field);
  for (const [n, id] of A_ASSET_IDS.entries()) succeeded(await a.post("/api/v4/assets", assetOfA(id, n + 1)), `create ${id}`);
  // History: an update, a delete, a delete and restore.
  succeeded(await a.patch("/api/v4/assets/aiso-001", { a_serial: `${SECRET}-SN-1b`, a_count: 100 }), "patch");
  succeeded(await a.delete("/api/v4/assets/aiso-002"), "delete");
  succeeded(await a.delete("/api/v4/assets/aiso-003"), "delete");
  succeeded(await a.post("/api/v4/assets/aiso-003/restore"), "restore");

  // An import that creates, updates, warns and fails an entry.
  const entries = [
    ...A_IMPORTED_IDS.map((id, n) => assetOfA(id, 20 + n)),
    { id: "aiso-004", name: `Vault 4 imported ${SECRET}` },
    // Not a valid ID: the entry fails, and is kept for failed-entries.
    { id: "aimp-009!", name: `Failed ${SECRET}`, a_count: 9 },
    { id: "aimp-004", [`${SECRET}_unknown`]: "warns" },
  ];
  const accepted = succeeded(await a.post("/api/v4/assets-import", entries), "import");
  const done = await waitForImport(a, accepted.import_id);
  if (done.status !== "COMPLETED" || done.stats.failed_count !== 1 || done.stats.warning_count < 1) {
    throw new Error(`A's import: ${JSON.stringify(done)}`);
  }

  const admin = await signIn(t.app, ADMIN.username, ADMIN.password);
  const userIds = [admin.userId];
  for (const [n, username] of A_USERNAMES.entries()) {
    const body = { username, password: A_USER_PASSWORD, role: n === 0 ? "editor" : "viewer", full_name: `${SECRET} person ${n}`, email: `${SECRET}.${n}@a.example` };
    userIds.push(succeeded(await a.post("/api/v4/users", body), `user ${username}`).id);
  }
  const key = succeeded(await a.post("/api/v4/api-keys", { name: `${SECRET} key`, role: "editor" }), "API key");
  succeeded(await a.post("/api/v4/sites", { id: "aiso-site", name: `${SECRET} site`, description: `${SECRET} hall` }), "site");
  succeeded(await a.post("/api/v4/sites", { id: "shared-site", name: `${SECRET} shared site` }), "site");
  const statuses = [{ id: "aiso-new", name: `${SECRET} new` }, { id: "aiso-used", name: `${SECRET} in use` }];
  succeeded(await a.post("/api/v4/status-sets", { id: "aiso-set", name: `${SECRET} statuses`, statuses }), "status set");
  succeeded(await a.post("/api/v4/status-sets", { id: "shared-set", name: `${SECRET} shared set`, statuses }), "status set");
  succeeded(await a.post("/api/v4/categories", { id: "aiso-top", name: `${SECRET} top`, status_set_id: "aiso-set", fields: ["a_serial"] }), "category");
  succeeded(await a.post("/api/v4/categories", { id: "aiso-sub", name: `${SECRET} sub`, parent_id: "aiso-top", fields: ["a_count"] }), "category");
  succeeded(await a.post("/api/v4/categories", { id: "shared-category", name: `${SECRET} shared category` }), "category");

  // An import that waits: the worker is stopped until the walk is over, so
  // B's cancel would have something to cancel.
  await t.worker.stop();
  const pending = succeeded(await a.request(pendingImportOfA()), "pending import");

  return {
    tenantId: admin.tenantId,
    assetIds: ["aiso-001", "aiso-002"],
    fieldName: "a_serial",
    importIds: [accepted.import_id, pending.import_id],
    userIds,
    keyIds: [key.id],
    keySecret: key.key,
    siteIds: ["aiso-site"],
    statusSetIds: ["aiso-set"],
    categoryIds: ["aiso-top", "aiso-sub"],
  };
}

/** The event stream of A's waiting import: it lasts until the import ends, which it does not during the walk. */
function streamsUntilEnded(op: OpenApiOperation, values: Record<string, string | number>, a: TenantA): boolean {
  return op.path.endsWith("/events") && values.import_id === a.importIds[1];
}

/**
 * What A sees through every GET of the document, with A's own objects in
 * the paths: the state B's walk must not change.
 */
async function snapshotOfA(api: Client, operations: OpenApiOperation[], a: TenantA): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const op of operations) {
    if (op.method !== "GET" || op.pathParams.some((p) => !PATH_PARAMS[p])) continue;
    for (const values of pathCombinations(op, a)) {
      if (streamsUntilEnded(op, values, a)) continue;
      const url = withQuery(fillPath(op.path, values), baseQuery(op));
      const res = await api.get(url);
      snapshot[url] = `${res.statusCode} ${await responseText(res)}`;
    }
  }
  return snapshot;
}

describe("tenant isolation", () => {
  let t: TestApp;
  let operations: OpenApiOperation[];
  let a: TenantA;
  let b: Client;
  let bTenantId: number;
  /** An API key of B's admin, with the admin role. */
  let bKey: Client;
  let before: Record<string, string>;
  /** A's identifiers B has sent so far: from then on they may appear in its answers. */
  const mentioned = new Set<string>();

  beforeAll(async () => {
    t = await startTestApp();
    operations = apiOperations((await t.app.inject({ method: "GET", url: "/openapi.json" })).json());
    a = await populateTenantA(t);
    await createTenantAdmin(t.services.config.DATABASE_URL, "tenant-b", B.username, B.password);
    const signedIn = await signIn(t.app, B.username, B.password);
    b = signedIn.api;
    bTenantId = signedIn.tenantId;
    bKey = client(t.app, succeeded(await b.post("/api/v4/api-keys", { name: "b admin key", role: "admin" }), "B's key").key);
    before = await snapshotOfA(t.api, operations, a);
  });
  afterAll(() => t?.close());

  /**
   * Sends `actor`'s requests for each operation: every combination of A's
   * path values, bodies and queries naming A's things. Returns what went
   * wrong, in words, and the operations walked.
   */
  async function walkAs(actor: Client, walk: OpenApiOperation[], refused: (op: OpenApiOperation) => boolean): Promise<{ problems: string[]; walked: Set<string> }> {
    const problems: string[] = [];
    const walked = new Set<string>();

    async function probe(op: OpenApiOperation, url: string, body: unknown, statuses: number[]): Promise<LightMyRequestResponse> {
      const label = `${op.method} ${url}${body === undefined ? "" : ` ${JSON.stringify(body)}`}`;
      for (const id of A_IDENTIFIERS) if (decodeURIComponent(label).includes(id)) mentioned.add(id);
      const res = await send(actor, op.method, url, body);
      const text = await responseText(res);
      if (!statuses.includes(res.statusCode)) problems.push(`${label}: ${res.statusCode}, expected ${statuses.join(" or ")}: ${text.slice(0, 300)}`);
      // Headers too: a file name or a Location can name an asset.
      const seen = `${JSON.stringify(res.headers)}\n${text}`;
      const leaked = [SECRET, ...A_IDENTIFIERS.filter((id) => !mentioned.has(id))].filter((marker) => seen.includes(marker));
      if (leaked.length > 0) {
        const at = seen.indexOf(leaked[0]!);
        problems.push(`${label}: the answer shows A's ${leaked.join(", ")}: ...${seen.slice(Math.max(0, at - 150), at + 150)}...`);
      }
      return res;
    }

    /** The same request for missing objects must get the same answer, or B could tell which of A's objects exist. */
    async function compareWithMissing(op: OpenApiOperation, values: Record<string, string | number>, query: string[], body: unknown, res: LightMyRequestResponse) {
      const missing = Object.fromEntries(op.pathParams.map((p) => [p, PATH_PARAMS[p]!.missing]));
      const twin = await send(actor, op.method, withQuery(fillPath(op.path, missing), query), body);
      const generic = (text: string, from: Record<string, string | number>) =>
        op.pathParams.reduce((s, p) => s.replace(new RegExp(`(?<![\\w-])${escapeRegExp(String(from[p]))}(?![\\w-])`, "g"), `{${p}}`), text);
      if (twin.statusCode !== res.statusCode || generic(twin.body, missing) !== generic(res.body, values)) {
        const excerpt = async (r: LightMyRequestResponse) => `${r.statusCode} ${(await responseText(r)).slice(0, 200)}`;
        problems.push(`${op.method} ${withQuery(fillPath(op.path, values), query)}: answers ${await excerpt(res)}, but for a missing object ${await excerpt(twin)}`);
      }
    }

    for (const op of walk) {
      const unknownParams = op.pathParams.filter((p) => !PATH_PARAMS[p]);
      if (unknownParams.length > 0) {
        problems.push(`${op.key}: no A value for the path parameter ${unknownParams.join(", ")} (add it to PATH_PARAMS)`);
        continue;
      }
      walked.add(op.key);
      const statuses = expectedOf(op);

      let bodies: Array<{ body: unknown; statuses: number[] }> = [{ body: undefined, statuses }];
      if (op.hasBody) {
        const make = BODIES[op.key];
        if (!make) {
          problems.push(`${op.key}: takes a body and BODIES has none for it`);
          continue;
        }
        bodies = make().map((probeBody) => ({ body: probeBody.body, statuses: probeBody.statuses ?? statuses }));
      }

      // The base query, then each query parameter naming A's things, each
      // value of an enumerated one (every export format, say), and booleans true.
      const base = baseQuery(op);
      const queries: Array<{ parts: string[]; statuses?: number[] }> = [{ parts: base }];
      if (op.method === "GET") {
        for (const param of op.queryParams) {
          if (base.some((part) => part.startsWith(`${param.name}=`))) continue;
          const choices = enumValues(param.schema).map((v) => `${param.name}=${encodeURIComponent(v)}`);
          const raw = QUERY_PROBES[param.name]?.(a) ?? (choices.length > 0 ? choices : param.schema?.type === "boolean" ? [`${param.name}=true`] : []);
          const answers = op.pathParams.length > 0 ? statuses : (EXPECTED[`${op.key}?${param.name}`] ?? [200, 400, 404]);
          for (const part of raw) queries.push({ parts: [...base, part], statuses: answers });
        }
      }

      for (const values of pathCombinations(op, a)) {
        for (const { body, statuses: bodyStatuses } of bodies) {
          for (const query of queries) {
            const res = await probe(op, withQuery(fillPath(op.path, values), query.parts), body, refused(op) ? [403] : (query.statuses ?? bodyStatuses));
            if (op.pathParams.length > 0) await compareWithMissing(op, values, query.parts, body, res);
          }
        }
      }
    }
    return { problems, walked };
  }

  it("A's named objects are real: A reads each of them", () => {
    // Else B's 404s would prove nothing.
    const named = operations
      .filter((op) => op.method === "GET" && op.pathParams.length > 0 && op.pathParams.every((p) => PATH_PARAMS[p]))
      .flatMap((op) => pathCombinations(op, a).filter((values) => !streamsUntilEnded(op, values, a)).map((values) => withQuery(fillPath(op.path, values), baseQuery(op))));
    expect(named.length).toBeGreaterThanOrEqual(12);
    for (const url of named) expect(before[url]?.slice(0, 3), url).toBe("200");
    expect(before["/api/v4/assets?limit=1000&include_inactive=true"]).toContain(SECRET);
  });

  it("walks every /api/v4 operation as B naming A's objects: nothing of A is revealed, A's objects are as missing", async () => {
    // Changing B's own password ends B's other sessions: it goes last.
    const last = (op: OpenApiOperation) => (op.path.endsWith("/me/password") ? 1 : 0);
    const walk = operations.filter((op) => !SKIPPED.has(op.key)).sort((x, y) => last(x) - last(y));
    const { problems, walked } = await walkAs(b, walk, refusedToB);
    expect(problems).toEqual([]);
    expect(KNOWN_OPERATIONS.filter((key) => !walked.has(key))).toEqual([]);
    expect(walked.size).toBeGreaterThanOrEqual(KNOWN_OPERATIONS.length);
  });

  it("walks the reads and the writes naming A's objects again with B's admin API key", async () => {
    // A key is resolved to its tenant apart from sessions (auth/authenticate.ts).
    // Writes without a path would only repeat B's own creations.
    const walk = operations.filter((op) => !SKIPPED.has(op.key) && (op.method === "GET" || op.pathParams.length > 0));
    expect(walk.filter(refusedToKeys).length).toBeGreaterThan(3);
    const { problems, walked } = await walkAs(bKey, walk, refusedToKeys);
    expect(problems).toEqual([]);
    expect(walked.size).toBe(walk.length);
  });

  it("leaves A's data exactly as it was", async () => {
    expect(await snapshotOfA(t.api, operations, a)).toEqual(before);
  });

  it("keeps A's credentials working and in A", async () => {
    // B tried to reset, disable and demote them, and to delete A's key.
    for (const username of A_USERNAMES) expect((await signIn(t.app, username, A_USER_PASSWORD)).tenantId).toBe(a.tenantId);
    const res = await client(t.app, a.keySecret).get("/api/v4/assets/aiso-001");
    expect(res.statusCode, res.body).toBe(200);
  });

  it("lands B's writes in B only, once the waiting imports have run", async () => {
    // B changed its own password at the end of the walk.
    b = (await signIn(t.app, B.username, B_NEW_PASSWORD)).api;
    await t.worker.start();
    for (const importId of a.importIds) expect((await waitForImport(t.api, importId)).status).toBe("COMPLETED");
    const bImports = (await b.get("/api/v4/assets-imports?limit=1000")).json().collection as Array<{ import_id: number }>;
    expect(bImports.map((i) => i.import_id).filter((id) => a.importIds.includes(id))).toEqual([]);
    for (const { import_id } of bImports) expect((await waitForImport(b, import_id)).status).toBe("COMPLETED");

    // B's assets are B's own, with A's shared ID among them.
    const bAssets = (await b.get("/api/v4/assets?include_inactive=true&limit=1000")).json().collection as Array<Record<string, unknown>>;
    expect(bAssets.map((x) => [x.id, x.name])).toEqual([
      ["b-imp-001", "B imported"],
      ["shared-001", "B imported shared"],
      ["shared-002", "B's own batch"],
    ]);
    const aShared = (await t.api.get("/api/v4/assets/shared-001")).json();
    expect(aShared).toMatchObject({ name: `Vault 7 ${SECRET}`, version: 1, shared_field: `${SECRET} shared 7` });
    const aAssets = (await t.api.get("/api/v4/assets?include_inactive=true&limit=1000")).json().collection as Array<{ id: string }>;
    expect(aAssets.map((x) => x.id)).toEqual([...A_IMPORTED_IDS, ...A_ASSET_IDS.slice(0, 6), ...A_PENDING_IDS, "shared-001"].sort());
    const bFields = (await b.get("/api/v4/asset-fields?system=false")).json().collection as Array<{ name: string; description: string }>;
    expect(bFields.map((f) => [f.name, f.description])).toEqual([["shared_field", "B's own"]]);

    // Each audit log has its own tenant's events; the walk saw none of A's in B's.
    expect((await b.get("/api/v4/audit-events?limit=1000")).body).toContain("b-user-1");
    expect((await t.api.get("/api/v4/audit-events?limit=1000")).body).toContain("a-hidden-user");

    // The XLSX export is read through exceljs in the walk: it does show B's own.
    const xlsx = await responseText(await b.get("/api/v4/assets-export?format=xlsx"));
    expect(xlsx).toContain("b-imp-001");
    expect(xlsx).not.toContain(SECRET);
  });

  it("B's imports, idempotency keys and series never see A's", async () => {
    // A dry run naming A's IDs: each would be created, in B.
    const dry = await b.post(`/api/v4/assets-import?dry_run=true`, [...a.assetIds, "aimp-001"].map((id) => ({ id, name: "B dry" })));
    expect(dry.statusCode, dry.body).toBe(202);
    expect((await waitForImport(b, dry.json().import_id)).status).toBe("COMPLETED");
    const report = (await b.get(`/api/v4/assets-import/full-report?import_id=${dry.json().import_id}`)).json().collection;
    expect(report.map((r: { action?: string }) => r.action)).toEqual(["created", "created", "created"]);
    expect((await b.get("/api/v4/assets/next-id?prefix=aiso-")).json().next_id).toBe("aiso-1");

    // Idempotency keys are per tenant: A's key replays A's import to A only.
    const mine = await t.api.request(pendingImportOfA());
    expect([mine.statusCode, mine.headers["idempotent-replayed"], mine.json().import_id]).toEqual([202, "true", a.importIds[1]]);
    const theirs = await b.request(pendingImportOfA());
    expect(theirs.statusCode, theirs.body).toBe(202);
    expect(theirs.headers["idempotent-replayed"]).toBeUndefined();
    expect(a.importIds).not.toContain(theirs.json().import_id);
  });

  it("the storage layer, bound to B, finds none of A's objects", async () => {
    const storeOfB = tenantStore(t.services, bTenantId);
    const storeOfA = tenantStore(t.services, a.tenantId);
    for (const id of [...A_ASSET_IDS.filter((id) => id !== "shared-001"), ...A_IMPORTED_IDS]) {
      expect(await storeOfB.assets.get(id), id).toBeUndefined();
      expect((await storeOfB.assetChanges.forAsset(id, 0, 10)).total, id).toBe(0);
    }
    expect((await storeOfA.assets.get("aiso-001"))?.name).toBe(`Vault 1 ${SECRET}`);
    expect((await storeOfB.assets.get("shared-001"))?.name).toBe("B imported shared");
    for (const field of A_FIELDS.filter((f) => f.name !== "shared_field")) expect(await storeOfB.fields.get(field.name), field.name).toBeUndefined();
    for (const importId of a.importIds) expect(await storeOfB.imports.get(importId)).toBeUndefined();
    for (const userId of a.userIds) expect(await storeOfB.users.get(userId)).toBeUndefined();
    for (const keyId of a.keyIds) expect(await storeOfB.apiKeys.get(keyId)).toBeUndefined();
    for (const siteId of a.siteIds) expect(await storeOfB.sites.get(siteId)).toBeUndefined();
    expect((await storeOfB.sites.get("shared-site"))?.name).toBe("B's own site");
    for (const setId of a.statusSetIds) expect(await storeOfB.statusSets.get(setId)).toBeUndefined();
    for (const categoryId of a.categoryIds) expect(await storeOfB.categories.get(categoryId)).toBeUndefined();
    expect((await storeOfB.categories.get("shared-category"))?.fields).toEqual(["shared_field"]);
    expect(await storeOfA.imports.get(a.importIds[0]!)).toBeDefined();
  });
});
