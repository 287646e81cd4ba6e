import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, fullReport, login, runImport, startTestApp, type Client, type TestApp } from "../helpers/app.js";
import { createTenantAdmin } from "../helpers/tenants.js";

// Every asset change, by the API or by an import, is one history row; the
// rows of a tenant are also its change feed. The last test replays each
// asset's history after random operations and expects the asset as stored.

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const A = "/api/v4/assets";

const FIELDS = [
  { name: "qty", type: "Integer" },
  { name: "label", type: "SingleLineText" },
  { name: "extras", type: "MultiSelect", options: ["a", "b", "c"] },
];

const SYSTEM = new Set(["id", "uid", "name", "created_at", "created_by", "updated_at", "updated_by", "version", "is_active", "deleted_at", "site_id", "site_name", "description", "tags", "category", "status"]);

interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

interface Change {
  cursor: string;
  asset_id: string;
  version: number;
  action: "created" | "updated" | "deleted" | "restored";
  changed_at: string;
  actor: string;
  source: "api" | "import";
  import_id: number | null;
  entry_num: number | null;
  changes: FieldChange[];
}

type Asset = Record<string, unknown> & { id: string; name: string; version: number; is_active: boolean };

async function history(api: Client, id: string): Promise<Change[]> {
  const res = await api.get(`${A}/${encodeURIComponent(id)}/changes?limit=1000`);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  expect(body.count).toBe(body.collection.length);
  expect(body.total_count).toBe(body.collection.length);
  return body.collection;
}

async function allAssets(api: Client): Promise<Asset[]> {
  const res = await api.get(`${A}?include_inactive=true&limit=1000`);
  expect(res.statusCode).toBe(200);
  return res.json().collection;
}

/** The whole feed, page by page, following next_cursor. */
async function readFeed(api: Client, limit: number, since = "0"): Promise<{ changes: Change[]; cursor: string }> {
  const changes: Change[] = [];
  let cursor = since;
  for (let pages = 0; pages < 10_000; pages++) {
    const res = await api.get(`/api/v4/asset-changes?since=${cursor}&limit=${limit}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.count).toBe(body.collection.length);
    expect(body.collection.length).toBeLessThanOrEqual(limit);
    changes.push(...body.collection);
    if (body.collection.length > 0) expect(body.next_cursor).toBe(body.collection.at(-1).cursor);
    else expect(body.next_cursor).toBe(cursor);
    cursor = body.next_cursor;
    if (!body.has_more) return { changes, cursor };
  }
  throw new Error("feed does not end");
}

const customValues = (asset: Record<string, unknown>) => Object.fromEntries(Object.entries(asset).filter(([k]) => !SYSTEM.has(k)));

const byField = (changes: FieldChange[]) => [...changes].sort((x, y) => (x.field < y.field ? -1 : x.field > y.field ? 1 : 0));

/**
 * Rebuilds an asset from its history (oldest first), checking on the way
 * that each change's old values are the state it was made on.
 */
function replay(changes: Change[]): { name: string; values: Record<string, unknown>; is_active: boolean; deleted_at: unknown; version: number } {
  const [first, ...rest] = changes;
  expect(first!.action).toBe("created");
  expect(first!.changes.every((c) => c.old === null)).toBe(true);
  let name = first!.changes.find((c) => c.field === "name")!.new as string;
  const values: Record<string, unknown> = {};
  for (const c of first!.changes) if (c.field !== "name") values[c.field] = c.new;
  let isActive = true;
  let deletedAt: unknown = null;
  for (const change of rest) {
    expect(change.changes.length, JSON.stringify(change)).toBeGreaterThan(0);
    for (const c of change.changes) {
      if (c.field === "name") {
        expect(c.old).toBe(name);
        name = c.new as string;
      } else if (c.field === "is_active") {
        expect(c.old).toBe(isActive);
        isActive = c.new as boolean;
      } else if (c.field === "deleted_at") {
        expect(c.old).toBe(deletedAt);
        deletedAt = c.new;
      } else {
        expect(c.old, `${change.asset_id} v${change.version} ${c.field}`).toEqual(values[c.field] ?? null);
        if (c.new === null) delete values[c.field];
        else values[c.field] = c.new;
      }
    }
    expect(change.action).toBe(
      change.changes.some((c) => c.field === "is_active") ? (isActive ? "restored" : "deleted") : "updated",
    );
  }
  return { name, values, is_active: isActive, deleted_at: deletedAt, version: changes.length };
}

describe("asset history", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    for (const f of FIELDS) await createField(t.api, f);
  });
  afterAll(() => t.close());

  it("records creation, update, delete and restore through the API, newest first", async () => {
    const created = (await t.api.post(A, { id: "h-1", name: "First", qty: "3", extras: ["b", "a"] })).json();
    expect((await t.api.patch(`${A}/h-1`, { qty: 4, label: "new", extras: null })).statusCode).toBe(200);
    expect((await t.api.patch(`${A}/h-1`, { qty: 4 })).statusCode).toBe(200); // no change, no history
    expect((await t.api.patch(`${A}/h-1`, { name: "Second" })).statusCode).toBe(200);
    expect((await t.api.delete(`${A}/h-1`)).statusCode).toBe(204);
    const deleted = (await t.api.get(`${A}/h-1`)).json();
    expect((await t.api.post(`${A}/h-1/restore`)).statusCode).toBe(200);

    const res = await t.api.get(`${A}/h-1/changes`);
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page).toMatchObject({ count: 5, page: 1, total_count: 5, total_pages: 1 });
    const changes: Change[] = page.collection;
    expect(changes.map((c) => [c.version, c.action])).toEqual([
      [5, "restored"],
      [4, "deleted"],
      [3, "updated"],
      [2, "updated"],
      [1, "created"],
    ]);
    for (const c of changes) {
      expect(c).toMatchObject({ asset_id: "h-1", actor: "admin", source: "api", import_id: null, entry_num: null, changed_at: expect.stringMatching(TIME) });
      expect(c.cursor).toMatch(/^[1-9][0-9]*$/);
    }
    // Newest first: feed positions fall down the page.
    const cursors = changes.map((c) => Number(c.cursor));
    expect(cursors).toEqual([...cursors].sort((x, y) => y - x));

    const [restored, deletion, rename, update, creation] = changes as [Change, Change, Change, Change, Change];
    expect(creation.changed_at).toBe(created.created_at);
    expect(byField(creation.changes)).toEqual(
      byField([
        { field: "name", old: null, new: "First" },
        { field: "qty", old: null, new: 3 },
        { field: "extras", old: null, new: created.extras },
      ]),
    );
    expect(byField(update.changes)).toEqual(
      byField([
        { field: "qty", old: 3, new: 4 },
        { field: "label", old: null, new: "new" },
        { field: "extras", old: created.extras, new: null },
      ]),
    );
    expect(rename.changes).toEqual([{ field: "name", old: "First", new: "Second" }]);
    expect(byField(deletion.changes)).toEqual(
      byField([
        { field: "is_active", old: true, new: false },
        { field: "deleted_at", old: null, new: deleted.deleted_at },
      ]),
    );
    expect(deletion.changed_at).toBe(deleted.deleted_at);
    expect(byField(restored.changes)).toEqual(
      byField([
        { field: "is_active", old: false, new: true },
        { field: "deleted_at", old: deleted.deleted_at, new: null },
      ]),
    );
  });

  it("pages an asset's history", async () => {
    await t.api.post(A, { id: "h-pages", qty: 0 });
    for (let q = 1; q <= 6; q++) await t.api.patch(`${A}/h-pages`, { qty: q });
    const versions: number[] = [];
    for (let page = 1; page <= 3; page++) {
      const body = (await t.api.get(`${A}/h-pages/changes?limit=3&page=${page}`)).json();
      expect(body).toMatchObject({ page, total_count: 7, total_pages: 3 });
      versions.push(...body.collection.map((c: Change) => c.version));
    }
    expect(versions).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });

  it("removes a deleted field's values from history, so that neither it nor a field created later under its name shows them", async () => {
    await createField(t.api, { name: "temporary", type: "SingleLineText" });
    expect((await t.api.post(A, { id: "h-del", qty: 1, temporary: "old" })).statusCode).toBe(201);
    expect((await t.api.delete("/api/v4/asset-fields/temporary")).statusCode).toBe(204);
    expect((await t.api.patch(`${A}/h-del`, { qty: 2 })).statusCode).toBe(200);
    await createField(t.api, { name: "temporary", type: "Number" });
    expect((await t.api.patch(`${A}/h-del`, { name: "Renamed" })).statusCode).toBe(200);
    const [rename, update, creation] = await history(t.api, "h-del");
    expect(rename!.changes).toEqual([{ field: "name", old: "h-del", new: "Renamed" }]);
    expect(update!.changes).toEqual([{ field: "qty", old: 1, new: 2 }]);
    expect(creation!.changes).toEqual([
      { field: "name", old: null, new: "h-del" },
      { field: "qty", old: null, new: 1 },
    ]);
  });

  it("answers 404 for the history of an unknown asset", async () => {
    const res = await t.api.get(`${A}/nope-1/changes`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 404, error: "asset 'nope-1' not found" });
  });

  it("records what imports change, with the import and the entry that made each change", async () => {
    const first = await runImport(t.api, [
      { id: "imp-a", name: "A", qty: 1, label: "x" },
      { id: "Bad ID" },
      { id: "imp-b", qty: "2" },
    ]);
    expect(first.stats).toMatchObject({ success_count: 2, failed_count: 1 });
    const report1 = await fullReport(t.api, `&import_id=${first.import_id}`);
    expect(report1.filter((r) => r.status !== "WARNING").map((r) => [r.entry_num, r.status])).toEqual([
      [1, "SUCCESS"],
      [2, "FAILED"],
      [3, "SUCCESS"],
    ]);

    const [aCreated] = await history(t.api, "imp-a");
    expect(aCreated).toMatchObject({ asset_id: "imp-a", version: 1, action: "created", source: "import", import_id: first.import_id, entry_num: 1, actor: "admin" });
    expect(byField(aCreated!.changes)).toEqual(
      byField([
        { field: "name", old: null, new: "A" },
        { field: "qty", old: null, new: 1 },
        { field: "label", old: null, new: "x" },
      ]),
    );
    const bHistory = await history(t.api, "imp-b");
    expect(bHistory).toHaveLength(1);
    expect(bHistory[0]).toMatchObject({ action: "created", version: 1, import_id: first.import_id, entry_num: 3 });
    expect(byField(bHistory[0]!.changes)).toEqual(byField([{ field: "name", old: null, new: "imp-b" }, { field: "qty", old: null, new: 2 }]));

    const second = await runImport(t.api, [
      { id: "imp-a", qty: 5, label: null },
      { id: "imp-b", qty: 2, name: "imp-b" },
      { id: "imp-c", qty: 1 },
      { id: "imp-c", qty: 9, label: "later" },
    ]);
    expect(second.stats).toMatchObject({ success_count: 4, failed_count: 0 });
    const report2 = await fullReport(t.api, `&import_id=${second.import_id}`);
    // The later imp-c entry warns, naming the earlier one.
    expect(report2.find((r) => r.status === "WARNING")).toMatchObject({ entry_num: 4, message: expect.stringContaining("entry 3") });

    const aHistory = await history(t.api, "imp-a");
    expect(aHistory).toHaveLength(2);
    expect(aHistory[0]).toMatchObject({ version: 2, action: "updated", source: "import", import_id: second.import_id, entry_num: 1 });
    expect(byField(aHistory[0]!.changes)).toEqual(byField([{ field: "qty", old: 1, new: 5 }, { field: "label", old: "x", new: null }]));

    // An entry that changes nothing records nothing.
    expect(await history(t.api, "imp-b")).toEqual(bHistory);
    expect((await t.api.get(`${A}/imp-b`)).json().version).toBe(1);

    // Two entries for one ID: one change, from the later entry, with the final values.
    const cHistory = await history(t.api, "imp-c");
    expect(cHistory).toHaveLength(1);
    expect(cHistory[0]).toMatchObject({ version: 1, action: "created", import_id: second.import_id, entry_num: 4 });
    expect(byField(cHistory[0]!.changes)).toEqual(
      byField([
        { field: "name", old: null, new: "imp-c" },
        { field: "qty", old: null, new: 9 },
        { field: "label", old: null, new: "later" },
      ]),
    );

    // Two entries updating an existing asset: one change with both entries' effects.
    const third = await runImport(t.api, [{ id: "imp-a", qty: 6 }, { id: "imp-x" }, { id: "imp-a", label: "y" }]);
    const aAfter = await history(t.api, "imp-a");
    expect(aAfter).toHaveLength(3);
    expect(aAfter[0]).toMatchObject({ version: 3, action: "updated", import_id: third.import_id, entry_num: 3 });
    expect(byField(aAfter[0]!.changes)).toEqual(byField([{ field: "qty", old: 5, new: 6 }, { field: "label", old: null, new: "y" }]));
    expect((await t.api.get(`${A}/imp-a`)).json()).toMatchObject({ version: 3, qty: 6, label: "y" });
  });

  it("restores a deleted asset that an import names, and records the restore with the values it changed", async () => {
    await t.api.post(A, { id: "rimp-1", name: "Old", qty: 1, label: "keep" });
    await t.api.post(A, { id: "rimp-2", qty: 1 });
    expect((await t.api.delete(`${A}/rimp-1`)).statusCode).toBe(204);
    expect((await t.api.delete(`${A}/rimp-2`)).statusCode).toBe(204);
    const deleted1 = (await t.api.get(`${A}/rimp-1`)).json();
    const deleted2 = (await t.api.get(`${A}/rimp-2`)).json();

    const status = await runImport(t.api, [{ id: "Not valid" }, { id: "rimp-1", qty: "2", name: "New" }, { id: "rimp-2" }]);
    expect(status.stats).toMatchObject({ success_count: 2, failed_count: 1 });
    const report = await fullReport(t.api, `&import_id=${status.import_id}`);
    expect(report.map((r) => [r.entry_num, r.status])).toEqual([
      [1, "FAILED"],
      [2, "SUCCESS"],
      [3, "SUCCESS"],
    ]);

    const asset = (await t.api.get(`${A}/rimp-1`)).json();
    expect(asset).toMatchObject({ name: "New", qty: 2, label: "keep", is_active: true, deleted_at: null, version: 3 });
    expect((await t.api.get(`${A}?ids=rimp-1,rimp-2`)).json().collection.map((a: Asset) => a.id)).toEqual(["rimp-1", "rimp-2"]);

    const [restore] = await history(t.api, "rimp-1");
    expect(restore).toMatchObject({ asset_id: "rimp-1", version: 3, action: "restored", source: "import", import_id: status.import_id, entry_num: 2 });
    expect(byField(restore!.changes)).toEqual(
      byField([
        { field: "name", old: "Old", new: "New" },
        { field: "qty", old: 1, new: 2 },
        { field: "is_active", old: false, new: true },
        { field: "deleted_at", old: deleted1.deleted_at, new: null },
      ]),
    );

    // An entry with nothing but the ID still restores.
    expect((await t.api.get(`${A}/rimp-2`)).json()).toMatchObject({ qty: 1, is_active: true, deleted_at: null, version: 3 });
    const [restore2] = await history(t.api, "rimp-2");
    expect(restore2).toMatchObject({ version: 3, action: "restored", import_id: status.import_id, entry_num: 3 });
    expect(byField(restore2!.changes)).toEqual(
      byField([
        { field: "is_active", old: false, new: true },
        { field: "deleted_at", old: deleted2.deleted_at, new: null },
      ]),
    );
  });

  it("feeds every change once, oldest first, at gapless positions, page by page", async () => {
    // The tests above left changes by the API and by imports.
    const union: Change[] = [];
    for (const asset of await allAssets(t.api)) union.push(...(await history(t.api, asset.id)));
    union.sort((x, y) => Number(x.cursor) - Number(y.cursor));
    expect(union.length).toBeGreaterThan(20);
    expect(union.map((c) => c.cursor)).toEqual(union.map((_, i) => String(i + 1)));

    for (const limit of [1, 3, 7, 1000]) {
      const { changes, cursor } = await readFeed(t.api, limit);
      expect(changes, `limit ${limit}`).toEqual(union);
      expect(cursor).toBe(String(union.length));
    }
    // Without since: from the start.
    const first = (await t.api.get("/api/v4/asset-changes?limit=2")).json();
    expect(first).toMatchObject({ count: 2, next_cursor: "2", has_more: true });
    expect(first.collection).toEqual(union.slice(0, 2));

    // From the middle.
    const middle = Math.floor(union.length / 2);
    expect((await readFeed(t.api, 4, String(middle))).changes).toEqual(union.slice(middle));
  });

  it("returns the same cursor on an empty page, then the changes made since", async () => {
    const { cursor } = await readFeed(t.api, 1000);
    const empty = await t.api.get(`/api/v4/asset-changes?since=${cursor}`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ collection: [], count: 0, next_cursor: cursor, has_more: false });
    const beyond = (await t.api.get(`/api/v4/asset-changes?since=999999`)).json();
    expect(beyond).toEqual({ collection: [], count: 0, next_cursor: "999999", has_more: false });

    await t.api.post(A, { id: "late-1", qty: 1 });
    await t.api.patch(`${A}/late-1`, { qty: 2 });
    const next = (await t.api.get(`/api/v4/asset-changes?since=${cursor}`)).json();
    expect(next.collection.map((c: Change) => [c.cursor, c.asset_id, c.action])).toEqual([
      [String(Number(cursor) + 1), "late-1", "created"],
      [String(Number(cursor) + 2), "late-1", "updated"],
    ]);
    expect(next).toMatchObject({ count: 2, next_cursor: String(Number(cursor) + 2), has_more: false });
  });

  it("gives the newest changes first with orderdesc=true, and the cursor to follow the feed from", async () => {
    const { changes: all, cursor } = await readFeed(t.api, 1000);
    const newest = (await t.api.get("/api/v4/asset-changes?orderdesc=true&limit=3")).json();
    expect(newest.collection).toEqual(all.slice(-3).reverse());
    expect(newest).toMatchObject({ count: 3, next_cursor: cursor, has_more: true });
    // After since: the newest of those only; all of them fit, so nothing more.
    const since = String(Number(cursor) - 2);
    const tail = (await t.api.get(`/api/v4/asset-changes?orderdesc=true&since=${since}&limit=10`)).json();
    expect(tail.collection.map((c: Change) => c.cursor)).toEqual([cursor, String(Number(cursor) - 1)]);
    expect(tail).toMatchObject({ count: 2, next_cursor: cursor, has_more: false });
    // Filters apply as in the oldest-first feed.
    const ascending = (await t.api.get("/api/v4/asset-changes?filter[qty]=2&limit=1000")).json();
    expect(ascending.count).toBeGreaterThan(0);
    const descending = (await t.api.get("/api/v4/asset-changes?orderdesc=true&filter[qty]=2&limit=1000")).json();
    expect(descending.collection).toEqual([...ascending.collection].reverse());
    // Nothing after the cursor: an empty page keeps it.
    expect((await t.api.get(`/api/v4/asset-changes?orderdesc=true&since=${cursor}`)).json()).toEqual({ collection: [], count: 0, next_cursor: cursor, has_more: false });
    expect((await t.api.get("/api/v4/asset-changes?orderdesc=yes")).statusCode).toBe(400);
  });

  it.each(["abc", "-1", "1.5", "1e3", "1234567890123456"])("refuses since=%s with 400", async (since) => {
    const res = await t.api.get(`/api/v4/asset-changes?since=${since}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(400);
  });

  it("keeps feeds and histories per tenant", async () => {
    await createTenantAdmin(t.services.config.DATABASE_URL, "second", "second-admin", "second-password-1");
    const other = await login(t.app, "second-admin", "second-password-1");

    const before = await readFeed(t.api, 1000);
    expect((await other.post(A, { id: "h-1", name: "Theirs" })).statusCode).toBe(201);
    await runImport(other, [{ id: "o-2" }, { id: "h-1", name: "Theirs again" }]);
    const theirs = (await other.get("/api/v4/asset-changes")).json();
    expect(theirs.collection.map((c: Change) => [c.cursor, c.asset_id, c.action, c.actor])).toEqual([
      ["1", "h-1", "created", "second-admin"],
      ["2", "o-2", "created", "second-admin"],
      ["3", "h-1", "updated", "second-admin"],
    ]);
    expect((await history(other, "h-1")).map((c) => c.version)).toEqual([2, 1]);
    expect((await other.get(`${A}/imp-a/changes`)).statusCode).toBe(404);

    // The first tenant's feed and histories did not move.
    expect(await readFeed(t.api, 1000)).toEqual(before);
    expect((await history(t.api, "h-1")).every((c) => c.actor === "admin")).toBe(true);
  });
});

describe("history replays to the asset", () => {
  let t: TestApp;
  beforeAll(async () => {
    // Small batches: an import's entries for one ID can land in different batches.
    t = await startTestApp({ IMPORT_BATCH_SIZE: "2" });
    for (const f of FIELDS) await createField(t.api, f);
  });
  afterAll(() => t.close());

  // Each run works on IDs of its own (r<run>-<n>), so it creates assets too.
  const id = fc.constantFrom("1", "2", "3");
  const name = fc.option(fc.constantFrom("N1", "N2", "N3"), { nil: undefined });
  const values = fc.record(
    {
      qty: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(null), fc.constant("2")),
      label: fc.oneof(fc.constantFrom("x", "y"), fc.constant(null)),
      extras: fc.oneof(fc.subarray(["a", "b", "c"]), fc.constant(null)),
    },
    { requiredKeys: [] },
  );
  const withName = (n: string | undefined) => (n === undefined ? {} : { name: n });
  type Op =
    | { kind: "create" | "patch"; id: string; name: string | undefined; values: Record<string, unknown> }
    | { kind: "delete" | "restore"; id: string }
    | { kind: "import"; entries: Array<{ id: string; name: string | undefined; values: Record<string, unknown>; badValue: boolean }> };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("create" as const), id, name, values }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("patch" as const), id, name, values }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), id }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("restore" as const), id }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("import" as const),
        entries: fc.array(fc.record({ id, name, values, badValue: fc.boolean() }), { minLength: 1, maxLength: 4 }),
      }),
    },
  );

  async function apply(o: Op, run: number): Promise<void> {
    const at = (n: string) => `r${run}-${n}`;
    switch (o.kind) {
      case "create": {
        const res = await t.api.post(A, { id: at(o.id), ...withName(o.name), ...o.values });
        expect([201, 409], res.body).toContain(res.statusCode);
        return;
      }
      case "patch": {
        const res = await t.api.patch(`${A}/${at(o.id)}`, { ...withName(o.name), ...o.values });
        expect([200, 404, 409], res.body).toContain(res.statusCode);
        return;
      }
      case "delete": {
        const res = await t.api.delete(`${A}/${at(o.id)}`);
        expect([204, 404], res.body).toContain(res.statusCode);
        return;
      }
      case "restore": {
        const res = await t.api.post(`${A}/${at(o.id)}/restore`);
        expect([200, 404], res.body).toContain(res.statusCode);
        return;
      }
      case "import": {
        // A bad value is a warning: the entry is imported without it.
        const entries = o.entries.map((e) => ({ id: at(e.id), ...withName(e.name), ...e.values, ...(e.badValue ? { qty: "many" } : {}) }));
        const status = await runImport(t.api, entries);
        expect(status.status).toBe("COMPLETED");
        expect(status.stats.success_count).toBe(entries.length);
      }
    }
  }

  it("records a change per batch when an import's entries for one ID fall into different batches", async () => {
    // Batches of 2: entries 1-2, then 3. The one-change-per-ID rule holds
    // within a batch (ChangeSchema.entry_num says so), not across batches.
    const status = await runImport(t.api, [{ id: "xb-1", qty: 1 }, { id: "xb-2" }, { id: "xb-1", qty: 2 }]);
    const changes = await history(t.api, "xb-1");
    expect(changes.map((c) => [c.version, c.action, c.entry_num, c.import_id])).toEqual([
      [2, "updated", 3, status.import_id],
      [1, "created", 1, status.import_id],
    ]);
    expect(changes[0]!.changes).toEqual([{ field: "qty", old: 1, new: 2 }]);
  });

  let runs = 0;
  it("rebuilds every asset from nothing by its history, after any sequence of API writes and imports", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 14 }), async (ops) => {
        const run = ++runs;
        // Two assets exist from the start, one by the API and one by an import, so deletes and restores find something.
        await apply({ kind: "create", id: "1", name: undefined, values: { qty: 1 } }, run);
        await apply({ kind: "import", entries: [{ id: "2", name: "N1", values: { label: "x" }, badValue: false }] }, run);
        for (const o of ops) await apply(o, run);
        const union: Change[] = [];
        for (const asset of await allAssets(t.api)) {
          const changes = (await history(t.api, asset.id)).reverse();
          union.push(...changes);
          expect(changes.map((c) => c.version)).toEqual(changes.map((_, i) => i + 1));
          const rebuilt = replay(changes);
          expect(rebuilt, asset.id).toEqual({
            name: asset.name,
            values: customValues(asset),
            is_active: asset.is_active,
            deleted_at: asset.deleted_at,
            version: asset.version,
          });
        }
        // The feed is those same changes, once each, in position order.
        union.sort((x, y) => Number(x.cursor) - Number(y.cursor));
        expect(union.map((c) => c.cursor)).toEqual(union.map((_, i) => String(i + 1)));
        expect((await readFeed(t.api, 50)).changes).toEqual(union);
      }),
      { numRuns: 15 },
    );
  });
});
