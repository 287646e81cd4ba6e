import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, getAsset, importCount, postFile, runFileImport, startTestApp, type TestApp } from "../helpers/app.js";

describe("CSV delimiters", () => {
  let t: TestApp;
  const asset = (id: string) => getAsset(t.api, id);

  beforeAll(async () => {
    t = await startTestApp();
    await createField(t.api, { name: "price", type: "Number" });
  });
  afterAll(() => t.close());

  it("detects '|', and takes it when given", async () => {
    await runFileImport(t.api, "id|name|price\np-1|Pipe, detected|2.5\n", "text/csv");
    expect(await asset("p-1")).toMatchObject({ name: "Pipe, detected", price: 2.5 });
    await runFileImport(t.api, "id|name\np-2|Given explicitly\n", "text/csv", "?delimiter=|");
    expect((await asset("p-2")).name).toBe("Given explicitly");
    await runFileImport(t.api, "id|name\np-3|Given encoded\n", "text/csv", "?delimiter=%7C");
    expect((await asset("p-3")).name).toBe("Given encoded");
  });

  it("detects the delimiter from the header's unquoted characters", async () => {
    await runFileImport(t.api, '"Price, in EUR, net";id;name\n1;q-1;Quoted commas\n', "text/csv");
    expect((await asset("q-1")).name).toBe("Quoted commas");
  });

  it("refuses a header read as one column that holds another delimiter, naming it, and stores nothing", async () => {
    const before = await importCount(t.api);
    const refusals: Array<[string, string, string, string]> = [
      ["id|name|price\nr-1|Pipe|2\n", "text/csv", "?delimiter=;", "line 1: the header is one column ('id|name|price') with the delimiter ';'; the file seems to use '|': send delimiter=| (or quote the header cell, if it is one column)"],
      ["id;name\nr-2;Semicolon\n", "text/csv", "?delimiter=,", "line 1: the header is one column ('id;name') with the delimiter ','; the file seems to use ';': send delimiter=; (or quote the header cell, if it is one column)"],
      ["id,name\nr-3,Comma\n", "text/tab-separated-values", "", "line 1: the header is one column ('id,name') with the delimiter tab; the file seems to use ',': send delimiter=, (or quote the header cell, if it is one column)"],
      ["id\tname\nr-4\tTab\n", "text/csv", "?delimiter=|", "line 1: the header is one column ('id\tname') with the delimiter '|'; the file seems to use tab: send delimiter=tab (or quote the header cell, if it is one column)"],
    ];
    for (const [body, type, query, error] of refusals) {
      const res = await postFile(t.api, body, type, query);
      expect(res.statusCode, body).toBe(400);
      expect(res.json()).toEqual({ code: 400, error });
    }
    expect(await importCount(t.api)).toBe(before);
    for (const id of ["r-1", "r-2", "r-3", "r-4"]) expect((await t.api.get(`/api/v4/assets/${id}`)).statusCode).toBe(404);
  });

  it("reads a one-column file, and a quoted one-column header as it is", async () => {
    await runFileImport(t.api, "id\nsolo-1\n", "text/csv", "?delimiter=;");
    expect((await asset("solo-1")).name).toBe("solo-1");
    const status = await runFileImport(t.api, '"id, the asset\'s"\nsolo-2\n', "text/csv", "?delimiter=;&id_mapping_field=id, the asset's");
    expect(status).toMatchObject({ status: "COMPLETED", stats: { success_count: 1 } });
    expect((await asset("solo-2")).name).toBe("solo-2");
  });

  it("lists '|' among the delimiters it takes", async () => {
    const res = await postFile(t.api, "id\nx\n", "text/csv", "?delimiter=:");
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toContain("|");
  });
});
