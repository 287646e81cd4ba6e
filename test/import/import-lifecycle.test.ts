import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, fullReport, postFile, runFileImport, runImport, startTestApp, waitForImport, type TestApp } from "../helpers/app.js";

describe("idempotent retries, the import list and failed-entry downloads", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await createField(t.api, { name: "size", type: "Number" });
  });
  afterAll(() => t.close());

  const listed = async (query = "") => (await t.api.get(`/api/v4/assets-imports${query}`)).json();

  it("returns the original import for a repeated Idempotency-Key and body, and 422 for another body", async () => {
    const body = JSON.stringify([{ id: "idem-1", size: 1 }]);
    const headers = { "idempotency-key": "nightly-2026-11-22" };
    const first = await postFile(t.api, body, "application/json", "", headers);
    expect(first.statusCode).toBe(202);
    await waitForImport(t.api, first.json().import_id);
    const count = (await listed()).total_count;

    const again = await postFile(t.api, body, "application/json", "", headers);
    expect(again.statusCode).toBe(202);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json()).toMatchObject({ import_id: first.json().import_id, status: "COMPLETED" });
    expect((await listed()).total_count).toBe(count);

    const other = await postFile(t.api, JSON.stringify([{ id: "idem-2" }]), "application/json", "", headers);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toEqual({ code: 422, error: "Idempotency-Key 'nightly-2026-11-22' was used within 24 hours for another request" });
    const otherOptions = await postFile(t.api, body, "application/json", "?dry_run=true", headers);
    expect(otherOptions.statusCode).toBe(422);
    expect((await t.api.get("/api/v4/assets/idem-2")).statusCode).toBe(404);

    // Streamed files too: the key is checked once the whole file is in.
    const csvHeaders = { "idempotency-key": "csv-upload-7" };
    const csv = await postFile(t.api, "id,size\nidem-3,3\n", "text/csv", "", csvHeaders);
    const csvAgain = await postFile(t.api, "id,size\nidem-3,3\n", "text/csv", "", csvHeaders);
    expect(csvAgain.json().import_id).toBe(csv.json().import_id);
    expect((await postFile(t.api, "id,size\nidem-3,4\n", "text/csv", "", csvHeaders)).statusCode).toBe(422);
    expect((await listed()).total_count).toBe(count + 1);
  });

  it("lists imports newest first, paginated and filtered by status", async () => {
    await runImport(t.api, [{ id: "list-1" }]);
    await runImport(t.api, [{ id: "list-2" }], "?all_or_none=true&unknown_fields=reject");
    await runImport(t.api, [{ id: "list-3", typo: 1 }, { id: "list-4" }], "?all_or_none=true&unknown_fields=reject");
    const all = await listed("?limit=2");
    expect(all).toMatchObject({ count: 2, page: 1, total_pages: Math.ceil(all.total_count / 2) });
    const ids = all.collection.map((i: { import_id: number }) => i.import_id);
    expect(ids[0]).toBeGreaterThan(ids[1]);
    expect(all.collection[0]).toMatchObject({ status: "FAILED", options: { all_or_none: true, unknown_fields: "reject" } });
    const failed = await listed("?status=FAILED");
    expect(failed.collection.every((i: { status: string }) => i.status === "FAILED")).toBe(true);
    expect(failed.total_count).toBe(1);
    expect((await t.api.get("/api/v4/assets-imports?status=DONE")).statusCode).toBe(400);
  });

  it("gives the failed entries back with their reasons, as JSON and as CSV that imports again", async () => {
    const csv = "id,name,size\nok-1,Fine,1\nbad id,Broken,2\nok-2,Also fine,3\n,No id,4\n";
    await runFileImport(t.api, csv, "text/csv");
    const importId = (await t.api.get("/api/v4/assets-import")).json().import_id;

    const json = await t.api.get(`/api/v4/assets-import/${importId}/failed-entries`);
    expect(json.statusCode).toBe(200);
    expect(json.headers["content-disposition"]).toBe(`attachment; filename="import-${importId}-failed-entries.json"`);
    expect(json.json()).toEqual([
      { entry_num: 2, line: 3, errors: ["line 3: Invalid ID found"], entry: { id: "bad id", name: "Broken", size: "2" } },
      { entry_num: 4, line: 5, errors: ["line 5: Missing ID"], entry: { name: "No id", size: "4" } },
    ]);

    const csvRes = await t.api.get(`/api/v4/assets-import/${importId}/failed-entries?format=csv`);
    expect(csvRes.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const rows = parse(csvRes.body) as string[][];
    expect(rows).toEqual([
      ["id", "name", "size", "import_errors"],
      ["bad id", "Broken", "2", "line 3: Invalid ID found"],
      ["", "No id", "4", "line 5: Missing ID"],
    ]);
    // Corrected and sent again, the entries import (the import_errors column only warns).
    const fixed = csvRes.body.replace("bad id", "fixed-1").replace("\n,No id", "\nfixed-2,No id");
    const status = await runFileImport(t.api, fixed, "text/csv");
    expect(status.stats).toMatchObject({ success_count: 2, failed_count: 0 });
    expect((await t.api.get("/api/v4/assets/fixed-2")).json()).toMatchObject({ name: "No id", size: 4 });

    // The reasons' column never takes the name of an entry's key.
    await runImport(t.api, [{ id: "bad id", import_errors: "mine" }, { id: "fine-1" }]);
    const clash = (await t.api.get("/api/v4/assets-import")).json().import_id;
    const clashRows = parse((await t.api.get(`/api/v4/assets-import/${clash}/failed-entries?format=csv`)).body) as string[][];
    // The name's column is there even when no failed entry has a name: a cell to fill in.
    expect(clashRows).toEqual([["id", "name", "import_errors", "import_errors_2"], ["bad id", "", "mine", "Invalid ID found"]]);

    // Once the entries are purged, the download says so.
    await t.services.imports.purge(Date.now(), Date.now() + 1);
    const gone = await t.api.get(`/api/v4/assets-import/${importId}/failed-entries`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().code).toBe(410);
  });

  it("keeps an upload that never finished invisible and out of the queue, and purges it once abandoned", async () => {
    const { imports } = t.services;
    const now = Date.now();
    const receiving = await imports.begin({
      tenantId: 1, idMappingField: null, nameMappingField: null, createdBy: "admin", now, format: "csv", options: "{}", validateFirst: false, dryRun: false, sourceName: null,
    });
    await imports.appendPayload(receiving.id, { first_entry_num: 1, entry_count: 1, entries: '[{"id":"half-1"}]', locations: "[2]", problems: null }, now);
    expect((await t.api.get(`/api/v4/assets-import/${receiving.id}`)).statusCode).toBe(404);
    expect((await listed()).collection.map((i: { import_id: number }) => i.import_id)).not.toContain(receiving.id);
    // Later imports do not wait for it.
    await runImport(t.api, [{ id: "after-half-1" }]);
    expect((await t.api.get("/api/v4/assets/half-1")).statusCode).toBe(404);

    await imports.purge(now + 60_000, 0);
    expect(await imports.hasPayloads(receiving.id)).toBe(true);
    await imports.purge(now + 11 * 60_000, 0);
    expect(await imports.hasPayloads(receiving.id)).toBe(false);
  });

  it("lists every entry of a discarded all_or_none import, and nothing for a clean one", async () => {
    await runImport(t.api, [{ id: "whole-1" }, { id: "whole 2" }], "?all_or_none=true");
    const id = (await t.api.get("/api/v4/assets-import")).json().import_id;
    const entries = (await t.api.get(`/api/v4/assets-import/${id}/failed-entries`)).json();
    expect(entries.map((e: { entry_num: number; errors: string[] }) => [e.entry_num, e.errors])).toEqual([
      [1, ["not imported: all_or_none is set and other entries failed"]],
      [2, ["Invalid ID found"]],
    ]);
    await runImport(t.api, [{ id: "clean-1" }]);
    const clean = (await t.api.get("/api/v4/assets-import")).json().import_id;
    expect((await t.api.get(`/api/v4/assets-import/${clean}/failed-entries`)).json()).toEqual([]);
    expect((await t.api.get(`/api/v4/assets-import/99999/failed-entries`)).statusCode).toBe(404);
  });
});

describe("cancelling imports", () => {
  let t: TestApp;
  beforeAll(async () => {
    // Small batches: a 20,000-entry import takes long enough to cancel midway.
    t = await startTestApp({ IMPORT_BATCH_SIZE: "10" });
  });
  afterAll(() => t.close());

  it("cancels a waiting import at once and a running one after its batch; what was committed stays", async () => {
    const total = 20_000;
    const running = (await t.api.post("/api/v4/assets-import", Array.from({ length: total }, (_, i) => ({ id: `c-${i}` })))).json().import_id;
    const waiting = (await t.api.post("/api/v4/assets-import", [{ id: "never-1" }, { id: "never-2" }])).json().import_id;

    const cancelledWaiting = await t.api.post(`/api/v4/assets-import/${waiting}/cancel`);
    expect(cancelledWaiting.statusCode).toBe(202);
    expect(cancelledWaiting.json()).toMatchObject({ status: "CANCELLED", stats: { total_count: 2, success_count: 0, failed_count: 2, in_progress_count: 0, unprocessed_count: 2 } });

    for (;;) {
      const status = (await t.api.get(`/api/v4/assets-import/${running}`)).json();
      if (status.stats.in_progress_count < total) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const cancel = await t.api.post(`/api/v4/assets-import/${running}/cancel`);
    expect(cancel.statusCode).toBe(202);
    const ended = await waitForImport(t.api, running);
    expect(ended.status).toBe("CANCELLED");
    const { success_count, failed_count, unprocessed_count, in_progress_count } = ended.stats;
    expect(in_progress_count).toBe(0);
    expect(unprocessed_count).toBeGreaterThan(0);
    expect(success_count + failed_count).toBe(total);
    expect(failed_count).toBe(unprocessed_count);

    // The committed entries are assets; the rest are not, and the report says why.
    const assets = (await t.api.get("/api/v4/assets?limit=1")).json().total_count;
    expect(assets).toBe(success_count);
    const report = (await t.api.get(`/api/v4/assets-import/full-report?import_id=${running}&status=FAILED&limit=2`)).json();
    expect(report.total_count).toBe(unprocessed_count);
    expect(report.collection[0]).toEqual({ entry_num: success_count + 1, status: "FAILED", message: "not processed: the import was cancelled" });
    const whole = (await t.api.get(`/api/v4/assets-import/full-report?import_id=${running}&limit=1&page=${total}`)).json();
    expect(whole.total_count).toBe(total);
    expect(whole.collection).toEqual([{ entry_num: total, status: "FAILED", message: "not processed: the import was cancelled" }]);
    expect((await fullReport(t.api, `&import_id=${waiting}`)).map((r) => r.message)).toEqual(["not processed: the import was cancelled", "not processed: the import was cancelled"]);

    const again = await t.api.post(`/api/v4/assets-import/${running}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ code: 409, error: `import ${running} has already ended (CANCELLED)` });
    expect((await t.api.post("/api/v4/assets-import/99999/cancel")).statusCode).toBe(404);
  });

  it("cancels an all_or_none import in its validation pass with nothing imported", async () => {
    const total = 20_000;
    const id = (await t.api.post("/api/v4/assets-import?all_or_none=true", Array.from({ length: total }, (_, i) => ({ id: `aon-c-${i}` })))).json().import_id;
    for (;;) {
      const status = (await t.api.get(`/api/v4/assets-import/${id}`)).json();
      if (status.stats.in_progress_count < total) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect((await t.api.post(`/api/v4/assets-import/${id}/cancel`)).statusCode).toBe(202);
    const ended = await waitForImport(t.api, id);
    expect(ended).toMatchObject({ status: "CANCELLED", stats: { total_count: total, success_count: 0, failed_count: total, warning_count: 0, unprocessed_count: total } });
    const report = (await t.api.get(`/api/v4/assets-import/full-report?import_id=${id}&limit=1`)).json();
    expect(report.total_count).toBe(total);
    expect(report.collection).toEqual([{ entry_num: 1, status: "FAILED", message: "not processed: the import was cancelled" }]);
    expect((await t.api.get("/api/v4/assets/aon-c-0")).statusCode).toBe(404);
  });

  it("refuses to cancel an all_or_none import once it writes, and lets it finish", async () => {
    const total = 6_000;
    const id = (await t.api.post("/api/v4/assets-import?all_or_none=true", Array.from({ length: total }, (_, i) => ({ id: `aon-w-${i}` })))).json().import_id;
    const { db } = t.services.database;
    for (;;) {
      const row = await db.selectFrom("imports").select(["pass", "processed_count", "status"]).where("id", "=", id).executeTakeFirstOrThrow();
      if (row.pass === "apply" && row.processed_count > 0) break;
      expect(["NOT_STARTED", "RUNNING"]).toContain(row.status);
      await new Promise((r) => setTimeout(r, 2));
    }
    const cancel = await t.api.post(`/api/v4/assets-import/${id}/cancel`);
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json().error).toMatch(/all_or_none and already writing/);
    expect((await waitForImport(t.api, id)).stats).toMatchObject({ success_count: total, failed_count: 0 });
  });

  it("ends an all_or_none import that fails while validating with nothing imported", async () => {
    // A CSV import is stored in payloads of 2,000 entries; losing the later
    // ones mid-validation makes the worker give the import up.
    const rows = Array.from({ length: 20_000 }, (_, i) => `aon-f-${i}`).join("\n");
    const id = (await postFile(t.api, `id\n${rows}\n`, "text/csv", "?all_or_none=true")).json().import_id;
    const { db } = t.services.database;
    for (;;) {
      const row = await db.selectFrom("imports").select("processed_count").where("id", "=", id).executeTakeFirstOrThrow();
      if (row.processed_count > 0) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    await db.deleteFrom("import_payloads").where("import_id", "=", id).where("first_entry_num", ">", 10_000).execute();
    const ended = await waitForImport(t.api, id);
    expect(ended).toMatchObject({ status: "FAILED", stats: { total_count: 20_000, success_count: 0, failed_count: 20_000, warning_count: 0, unprocessed_count: 20_000 } });
    expect(ended.error).toMatch(/stored entries from entry 10001 on are missing/);
    expect((await t.api.get(`/api/v4/assets-import/full-report?import_id=${id}&status=SUCCESS`)).json().total_count).toBe(0);
  });

  it("gives a dry run resumed after a stop the report of one that ran through", async () => {
    // IDs repeat across batches with changed values: the dry run must
    // remember what its earlier batches would have written, across the stop.
    const entries = Array.from({ length: 600 }, (_, i) => ({ id: `dr-${i % 200}`, name: `N${i % 200}${i >= 400 && i % 3 === 0 ? "+" : ""}` }));
    await runImport(t.api, entries.slice(0, 50));
    const reference = await runImport(t.api, entries, "?dry_run=true");
    const expected = (await fullReport(t.api, `&import_id=${reference.import_id}`));

    const id = (await t.api.post("/api/v4/assets-import?dry_run=true", entries)).json().import_id;
    const { db } = t.services.database;
    for (;;) {
      const row = await db.selectFrom("imports").select("processed_count").where("id", "=", id).executeTakeFirstOrThrow();
      if (row.processed_count >= 250) break;
      await new Promise((r) => setTimeout(r, 1));
    }
    await t.worker.stop();
    const atStop = await db.selectFrom("imports").select(["processed_count", "status"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(atStop.status).toBe("RUNNING");
    expect(atStop.processed_count).toBeLessThan(600);
    await t.worker.start();
    await waitForImport(t.api, id);
    expect(await fullReport(t.api, `&import_id=${id}`)).toEqual(expected);
    expect(expected.filter((r) => r.action === "unchanged").length).toBeGreaterThan(0);
  });

  it("keeps the cancel answers for ended and unknown imports", async () => {
    const running = (await t.api.get("/api/v4/assets-imports?status=CANCELLED&limit=1")).json().collection[0].import_id;
    const again = await t.api.post(`/api/v4/assets-import/${running}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ code: 409, error: `import ${running} has already ended (CANCELLED)` });
    expect((await t.api.post("/api/v4/assets-import/99999/cancel")).statusCode).toBe(404);
  });
});
