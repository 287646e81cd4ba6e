import { expect } from "vitest";
import { openDatabase } from "../../src/storage/database.js";

/** Entry i: every 100th has an invalid ID and fails; the rest carry their index. */
export function killDataset(total: number): Array<Record<string, unknown>> {
  return Array.from({ length: total }, (_, i) => ({
    id: i % 100 === 99 ? `bad id ${i}` : `kill-${i}`,
    name: `Asset ${i}`,
    n: i,
    brand: `brand-${i % 7}`,
  }));
}

export const KILL_FIELDS = [
  { name: "n", type: "Integer" },
  { name: "brand", type: "SingleLineText" },
];

type Api = (path: string) => Promise<Response>;

/**
 * What a single uninterrupted run leaves: the final stats, one final report
 * row per entry in order (paged as a client would), and every asset right,
 * written once.
 */
export async function expectImportedExactlyOnce(api: Api, databaseUrl: string, importId: number, total: number): Promise<void> {
  const failedCount = Math.floor(total / 100);
  const status = (await (await api(`/api/v4/assets-import/${importId}`)).json()) as { status: string; stats: unknown };
  expect(status.status).toBe("COMPLETED");
  expect(status.stats).toEqual({
    total_count: total,
    success_count: total - failedCount,
    failed_count: failedCount,
    warning_count: 0,
    in_progress_count: 0,
  });

  const finals: Array<{ entry_num: number; status: string }> = [];
  for (let page = 1; ; page++) {
    const body = (await (await api(`/api/v4/assets-import/full-report?import_id=${importId}&limit=1000&page=${page}`)).json()) as {
      collection: Array<{ entry_num: number; status: string }>;
      total_count: number;
    };
    expect(body.total_count).toBe(total);
    if (body.collection.length === 0) break;
    finals.push(...body.collection);
  }
  expect(finals.map((r) => r.entry_num)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  expect(finals.filter((r) => r.status === "FAILED").map((r) => r.entry_num)).toEqual(Array.from({ length: failedCount }, (_, k) => k * 100 + 100));

  const check = await openDatabase(databaseUrl);
  const assets = await check.db.selectFrom("assets").select(["id", "name", "data", "version"]).execute();
  await check.close();
  expect(assets).toHaveLength(total - failedCount);
  const wrong = assets.filter((a) => {
    const i = Number(a.id.slice("kill-".length));
    const data = JSON.parse(a.data) as { n: number; brand: string };
    return a.version !== 1 || a.name !== `Asset ${i}` || data.n !== i || data.brand !== `brand-${i % 7}`;
  });
  expect(wrong).toEqual([]);
}

/** A logged-in fetch against a running server. */
export function apiClient(baseUrl: string, token: string) {
  return (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers } });
}
