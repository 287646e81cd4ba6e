import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

const ACCEPTED =
  "send JSON (application/json), CSV (text/csv), NDJSON (application/x-ndjson), " +
  "XLSX (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) or multipart/form-data with one file part";

describe("415 answers", () => {
  let t: TestApp;
  const post = (url: string, contentType: string | undefined, payload: string) =>
    t.api.request({ method: "POST", url, payload, headers: contentType === undefined ? {} : { "content-type": contentType } });

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("name every media type the import reads", async () => {
    for (const type of ["text/plain", "application/xml", "application/vnd.ms-excel", "image/png; name=x"]) {
      const res = await post("/api/v4/assets-import", type, "id\nm-1\n");
      expect(res.statusCode, type).toBe(415);
      expect(res.json()).toEqual({ code: 415, error: `unsupported content type '${type}': ${ACCEPTED}` });
    }
    expect((await t.api.get("/api/v4/assets-imports")).json().total_count).toBe(0);
  });

  it("name application/json on the other routes", async () => {
    const res = await post("/api/v4/asset-fields", "text/csv", "name\nx\n");
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({ code: 415, error: "unsupported content type: send application/json" });
  });
});
