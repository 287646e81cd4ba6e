import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, fullReport, runImport, startTestApp, type TestApp } from "../helpers/app.js";

describe("import options and per-entry actions", () => {
  let t: TestApp;
  const asset = async (id: string) => (await t.api.get(`/api/v4/assets/${id}`)).json();
  const exists = async (id: string) => (await t.api.get(`/api/v4/assets/${id}`)).statusCode === 200;

  beforeAll(async () => {
    t = await startTestApp({ IMPORT_BATCH_SIZE: "2" });
    await createField(t.api, { name: "room", type: "SingleLineText" });
    await createField(t.api, { name: "count", type: "Integer" });
  });
  afterAll(() => t.close());

  it("reports created, updated and unchanged on SUCCESS rows, entry by entry, across batches", async () => {
    await runImport(t.api, [{ id: "act-1", room: "A" }, { id: "act-2", room: "B" }]);
    await runImport(t.api, [
      { id: "act-1", room: "A" }, // same values
      { id: "act-2", room: "C" }, // changes
      { id: "act-3", room: "D" }, // new
      { id: "act-3", room: "D" }, // the same as the entry before
      { id: "act-3", count: 2 }, // changes the asset created two entries up
      { id: "act-1", name: "act-1" }, // the name it already has
    ]);
    expect((await fullReport(t.api, "&status=SUCCESS")).map((r) => r.action)).toEqual(["unchanged", "updated", "created", "unchanged", "updated", "unchanged"]);
    expect(await asset("act-1")).toMatchObject({ version: 1, room: "A" });
    expect(await asset("act-2")).toMatchObject({ version: 2, room: "C" });
    // Created in one batch, changed in the next: two writes.
    expect(await asset("act-3")).toMatchObject({ version: 2, room: "D", count: 2 });
  });

  it("dry_run validates and reports every entry with its action, and writes nothing", async () => {
    await runImport(t.api, [{ id: "dry-1", room: "Before" }]);
    const status = await runImport(t.api, [{ id: "dry-1", room: "After" }, { id: "dry-2" }, { id: "bad id" }, { id: "dry-3", count: "x" }, { id: "dry-1", room: "After" }], "?dry_run=true");
    expect(status).toMatchObject({ status: "COMPLETED", options: { dry_run: true }, stats: { total_count: 5, success_count: 4, failed_count: 1, warning_count: 2 } });
    expect(await fullReport(t.api)).toEqual([
      { entry_num: 1, status: "SUCCESS", action: "updated" },
      { entry_num: 2, status: "SUCCESS", action: "created" },
      { entry_num: 3, status: "FAILED", message: "Invalid ID found" },
      { entry_num: 4, status: "WARNING", message: "count: Invalid value found for field 'count' of type: 'Integer': bad request" },
      { entry_num: 4, status: "SUCCESS", action: "created" },
      { entry_num: 5, status: "WARNING", message: "id: ID 'dry-1' was already imported by entry 1; this entry is applied after it" },
      { entry_num: 5, status: "SUCCESS", action: "unchanged" },
    ]);
    expect(await asset("dry-1")).toMatchObject({ room: "Before", version: 1 });
    expect(await exists("dry-2")).toBe(false);
    expect(await exists("dry-3")).toBe(false);
  });

  it("all_or_none writes nothing when an entry fails, and shows why", async () => {
    const status = await runImport(t.api, [{ id: "aon-1", room: "X" }, { id: "aon-2" }, { name: "no id" }, { id: "aon-3" }], "?all_or_none=true");
    expect(status).toMatchObject({
      status: "FAILED",
      error: "all_or_none: 1 of 4 entries failed; nothing was imported",
      stats: { total_count: 4, success_count: 0, failed_count: 4, in_progress_count: 0 },
    });
    expect(status.stats).not.toHaveProperty("unprocessed_count");
    const report = await fullReport(t.api);
    expect(report).toHaveLength(4);
    expect(report[2]).toEqual({ entry_num: 3, status: "FAILED", message: "Missing ID" });
    for (const i of [0, 1, 3]) expect(report[i]).toEqual({ entry_num: i + 1, status: "FAILED", message: "not imported: all_or_none is set and other entries failed" });
    expect(await fullReport(t.api, "&status=SUCCESS")).toEqual([]);
    expect(await exists("aon-1")).toBe(false);
  });

  it("all_or_none imports everything when every entry passes, with one report", async () => {
    const status = await runImport(t.api, [{ id: "aon-4", room: "Y" }, { id: "aon-5", nope: 1 }, { id: "aon-4", count: 3 }], "?all_or_none=true");
    expect(status).toMatchObject({ status: "COMPLETED", stats: { total_count: 3, success_count: 3, failed_count: 0, warning_count: 2 } });
    expect(await fullReport(t.api)).toEqual([
      { entry_num: 1, status: "SUCCESS", action: "created" },
      { entry_num: 2, status: "WARNING", message: "nope: field with name: nope: not found" },
      { entry_num: 2, status: "SUCCESS", action: "created" },
      { entry_num: 3, status: "WARNING", message: "id: ID 'aon-4' was already imported by entry 1; this entry is applied after it" },
      { entry_num: 3, status: "SUCCESS", action: "updated" },
    ]);
    expect(await asset("aon-4")).toMatchObject({ room: "Y", count: 3 });
  });

  it("dry_run with all_or_none writes nothing either way, and says whether the import would go through", async () => {
    const clean = await runImport(t.api, [{ id: "dao-1" }, { id: "dao-2" }], "?dry_run=true&all_or_none=true");
    expect(clean).toMatchObject({ status: "COMPLETED", stats: { success_count: 2, failed_count: 0 } });
    const failing = await runImport(t.api, [{ id: "dao-3" }, { id: "bad id" }], "?dry_run=true&all_or_none=true");
    expect(failing).toMatchObject({ status: "FAILED", stats: { success_count: 0, failed_count: 2 } });
    for (const id of ["dao-1", "dao-2", "dao-3"]) expect(await exists(id)).toBe(false);
  });

  it("unknown_fields=reject fails an entry with an unknown key instead of warning", async () => {
    const status = await runImport(t.api, [{ id: "unk-1", room: "R", typo: 1 }, { id: "unk-2", room: "S" }], "?unknown_fields=reject");
    expect(status.stats).toMatchObject({ success_count: 1, failed_count: 1, warning_count: 0 });
    expect(await fullReport(t.api, "&status=FAILED")).toEqual([{ entry_num: 1, status: "FAILED", message: "typo: field with name: typo: not found" }]);
    expect(await exists("unk-1")).toBe(false);
    expect(await exists("unk-2")).toBe(true);
    // System keys still only warn: they are not unknown fields.
    const system = await runImport(t.api, [{ id: "unk-3", version: 9 }], "?unknown_fields=reject");
    expect(system.stats).toMatchObject({ success_count: 1, warning_count: 1 });
  });

  it("null_values=ignore leaves a field as it is where the default clears it", async () => {
    await runImport(t.api, [{ id: "nul-1", room: "Kept", count: 1 }]);
    await runImport(t.api, [{ id: "nul-1", room: null, count: 2 }], "?null_values=ignore");
    expect(await asset("nul-1")).toMatchObject({ room: "Kept", count: 2 });
    await runImport(t.api, [{ id: "nul-1", room: null }]);
    expect(await asset("nul-1")).not.toHaveProperty("room");
  });

  it("refuses unknown option values with a 400 that names them", async () => {
    for (const [query, name] of [["dry_run=yes", "dry_run"], ["unknown_fields=drop", "unknown_fields"], ["null_values=x", "null_values"], ["delimiter=pipe", "delimiter"]]) {
      const res = await t.api.post(`/api/v4/assets-import?${query}`, [{ id: "opt-1" }]);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toContain(name);
    }
    expect(await exists("opt-1")).toBe(false);
  });
});
