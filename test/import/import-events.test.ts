import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

interface StatusEvent {
  id: string;
  status: { import_id: number; status: string; stats: { in_progress_count: number; success_count: number } };
}

/** Reads a server-sent event stream to its end, as a browser's fetch would. */
async function readEvents(url: string, token: string): Promise<{ events: StatusEvent[]; contentType: string | null; retry: string | undefined }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const text = await res.text();
  const blocks = text.split("\n\n").filter((block) => block.trim() !== "");
  const events: StatusEvent[] = [];
  let retry: string | undefined;
  for (const block of blocks) {
    const fields = Object.fromEntries(block.split("\n").filter((line) => !line.startsWith(":")).map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]));
    if (fields.retry) retry = fields.retry;
    if (fields.event === "status") events.push({ id: fields.id!, status: JSON.parse(fields.data!) });
  }
  return { events, contentType: res.headers.get("content-type"), retry };
}

describe("an import's event stream", () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    // Small batches, so that a few thousand entries take several commits.
    t = await startTestApp({ IMPORT_BATCH_SIZE: "200" });
    base = await t.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(() => t.close());

  it("sends the status at once and as it changes, and ends with the ended import", async () => {
    const entries = Array.from({ length: 6_000 }, (_, i) => ({ id: `e-${i}`, name: `Entry ${i}` }));
    const res = await t.api.post("/api/v4/assets-import", entries);
    expect(res.statusCode).toBe(202);
    const { import_id } = res.json();
    const { events, contentType, retry } = await readEvents(`${base}/api/v4/assets-import/${import_id}/events`, t.api.token);
    expect(contentType).toBe("text/event-stream; charset=utf-8");
    expect(retry).toBe("1000");
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.every((e) => e.status.import_id === import_id)).toBe(true);
    expect(events.at(-1)!.status).toMatchObject({ status: "COMPLETED", stats: { success_count: 6_000, in_progress_count: 0 } });
    // Each event is news: no status is sent twice in a row.
    const shown = events.map((e) => JSON.stringify(e.status));
    expect(new Set(shown).size).toBe(shown.length);
    // Progress only moves forward.
    const left = events.map((e) => e.status.stats.in_progress_count);
    expect([...left].sort((a, b) => b - a)).toEqual(left);
  });

  it("sends one event and ends for an import that has ended", async () => {
    const res = await t.api.post("/api/v4/assets-import", [{ id: "done-1" }]);
    const { import_id } = res.json();
    await readEvents(`${base}/api/v4/assets-import/${import_id}/events`, t.api.token);
    const again = await readEvents(`${base}/api/v4/assets-import/${import_id}/events`, t.api.token);
    expect(again.events.map((e) => e.status.status)).toEqual(["COMPLETED"]);
  });

  it("answers 404 in the error shape for an unknown import, and 401 without a token", async () => {
    const missing = await fetch(`${base}/api/v4/assets-import/999999/events`, { headers: { authorization: `Bearer ${t.api.token}` } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 404, error: "import 999999 not found" });
    expect((await fetch(`${base}/api/v4/assets-import/1/events`)).status).toBe(401);
  });
});
