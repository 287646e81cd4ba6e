import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, runImport, startTestApp, type TestApp } from "../helpers/app.js";

describe("asset history and the change feed", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ IMPORT_BATCH_SIZE: "2" });
    await createField(t.api, { name: "room", type: "SingleLineText" });
    await createField(t.api, { name: "count", type: "Integer" });
  });
  afterAll(() => t.close());

  const history = async (id: string) => (await t.api.get(`/api/v4/assets/${id}/changes`)).json();
  const feed = async (since?: string, limit = 100) => (await t.api.get(`/api/v4/asset-changes?limit=${limit}${since ? `&since=${since}` : ""}`)).json();

  it("records each import write with its version, source entry and old and new values", async () => {
    const first = await runImport(t.api, [{ id: "h-1", name: "One", room: "A" }, { id: "h-2" }]);
    const second = await runImport(t.api, [{ id: "h-1", room: "B", count: 3 }, { id: "h-2" }, { id: "h-1", room: null }]);
    const h1 = await history("h-1");
    expect(h1.total_count).toBe(3);
    expect(h1.collection.map((c: Record<string, unknown>) => ({ ...c, change_id: undefined, changed_at: undefined }))).toEqual([
      { asset_id: "h-1", version: 1, actor: "admin", source: "import", import_id: first.import_id, entry_num: 1, action: "created", changes: { name: { old: null, new: "One" }, room: { old: null, new: "A" } } },
      { asset_id: "h-1", version: 2, actor: "admin", source: "import", import_id: second.import_id, entry_num: 1, action: "updated", changes: { room: { old: "A", new: "B" }, count: { old: null, new: 3 } } },
      // Entry 3 came in the next batch of two: its own write.
      { asset_id: "h-1", version: 3, actor: "admin", source: "import", import_id: second.import_id, entry_num: 3, action: "updated", changes: { room: { old: "B", new: null } } },
    ]);
    expect(h1.collection[2].changed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // h-2 did not change the second time: one change only.
    expect((await history("h-2")).total_count).toBe(1);
    expect((await t.api.get("/api/v4/assets/h-1")).json().version).toBe(3);
  });

  it("records nothing for dry runs, and 404s for an unknown asset", async () => {
    await runImport(t.api, [{ id: "h-dry", room: "X" }, { id: "h-1", room: "Z" }], "?dry_run=true");
    expect((await t.api.get("/api/v4/assets/h-dry/changes")).statusCode).toBe(404);
    expect((await history("h-1")).total_count).toBe(3);
  });

  it("feeds every change once to a client that polls with its cursor", async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await feed(cursor, 2);
      seen.push(...page.collection.map((c: { change_id: number }) => c.change_id));
      cursor = page.next_cursor;
      if (!page.has_more) break;
    }
    // h-1 created and updated twice, h-2 created.
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    // Nothing new: the same cursor back. Then new changes come after it.
    expect(await feed(cursor)).toEqual({ collection: [], count: 0, next_cursor: cursor, has_more: false });
    await runImport(t.api, [{ id: "h-3" }]);
    const next = await feed(cursor);
    expect(next.collection.map((c: { asset_id: string }) => c.asset_id)).toEqual(["h-3"]);
    expect((await t.api.get("/api/v4/asset-changes?since=abc")).statusCode).toBe(400);
  });
});
