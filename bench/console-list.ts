// npm run bench, part 4: the console's assets table in a real browser over
// BENCH_CONSOLE_ROWS assets (default 1,000,000) with the asset model (categories,
// statuses, sites). A fresh server imports them as CSV; Chromium logs in through
// the login screen and then, BENCH_CONSOLE_RUNS times each, (a) loads a filtered,
// sorted /assets URL and (b) changes the view inside the page as a click does
// (a URL change, no reload), timing from the navigation or the change until the
// table shows the rows of that query. Each run asks a new price range, so neither
// the browser nor the service has the answer kept. Then the API's own time for
// the same queries, and GET /asset-stats?group_by=category|status|site, kept and first after
// a change. docs/performance.md has the figures.
//
//   npx tsc -p tsconfig.bench.json && node dist-bench/bench/console-list.js
import { execFileSync } from "node:child_process";
import { cpSync, createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { categorisedEntries, FIELDS } from "./dataset.js";
import { createCatalog, createFields, freshDatabase, login, PASSWORD, startServer, waitCompleted } from "./server.js";

const ROWS = Number(process.env.BENCH_CONSOLE_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_CONSOLE_RUNS ?? 15);
const INDEXED = ["colour", "price", "purchased"];
/** The table's default columns, as the page asks for them (`fields=`). */
const DEFAULT_FIELDS = "id,name,category,status,site_id,site_name,updated_at";

/** Writes the categorised entries as CSV, 50,000 at a time, with distinct IDs. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const columns = ["id", "name", ...FIELDS.map((f) => f.name), "category", "status", "site_id", "tags", "description"];
  const cell = (value: unknown) => {
    const text = value === undefined || value === null ? "" : String(value);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const out = createWriteStream(path);
  out.write(columns.join(",") + "\n");
  for (let start = 0; start < rows; start += 50_000) {
    const batch = categorisedEntries(Math.min(50_000, rows - start), 0).map((row, i) => ({ ...row, id: `asset-${String(start + i).padStart(7, "0")}` }));
    if (!out.write(batch.map((row) => columns.map((c) => cell((row as Record<string, unknown>)[c])).join(",")).join("\n") + "\n")) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** A filtered, sorted view the console can show, in its own URL form; a new price range each run. */
function viewQuery(run: number): string {
  const from = (run * 37) % 900;
  return `filter[category][under]=pumps&filter[colour]=Red&filter[price][gte]=${from}&filter[price][lte]=${from + 100}&order=purchased&orderdesc=true`;
}

// In every page, before its own scripts (as text: the bench's types have no DOM): the moment the
// table first holds rows of each query (the table marks which query its rows answer), by performance.now().
const RECORD_ROWS = `window.__rowsAt = {};
window.__totalAt = [];
window.__counted = false;
new MutationObserver(() => {
  for (const element of document.querySelectorAll("[data-view]")) {
    const view = element.getAttribute("data-view");
    if (view && !(view in window.__rowsAt) && element.querySelector("table tbody tr")) window.__rowsAt[view] = performance.now();
  }
  // The total ("1–50 of 10,012"), which comes with a request of its own.
  const position = document.querySelector('[data-testid="asset-position"]');
  const counted = position !== null && position.textContent.includes(" of ");
  if (counted && !window.__counted) window.__totalAt.push(performance.now());
  window.__counted = counted;
}).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-view"] });`;

/** When the page's total showed first after `since` (performance.now()). */
async function totalShownAt(page: Page, since: number): Promise<number> {
  const handle = await page.waitForFunction((t) => (globalThis as unknown as { __totalAt: number[] }).__totalAt.find((at) => at >= t), since, { timeout: 60_000, polling: 50 });
  return (await handle.jsonValue()) as number;
}

async function rowsShownAt(page: Page, view: string): Promise<number> {
  // Functions, not text: the page's CSP (script-src 'self') refuses the eval a text predicate needs.
  const handle = await page.waitForFunction((v) => (globalThis as unknown as { __rowsAt?: Record<string, number> }).__rowsAt?.[v], view, { timeout: 60_000, polling: 50 });
  return (await handle.jsonValue()) as number;
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return `median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms (${sorted.length} runs, ${sorted[0]!.toFixed(0)}-${sorted.at(-1)!.toFixed(0)} ms)`;
}

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const start = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return performance.now() - start;
}

async function logIn(page: Page): Promise<void> {
  await page.goto("/");
  await page.getByLabel(/^Username/).fill("admin");
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("button", { name: "Log out" }).waitFor();
}

async function main() {
  // The server serves the console from dist/console, which it finds beside its own build.
  execFileSync("npx", ["vite", "build", "--config", "console/vite.config.ts", "--logLevel", "warn"], { stdio: "inherit" });
  cpSync("dist/console", "dist-bench/dist/console", { recursive: true });

  const dir = mkdtempSync(join(tmpdir(), "assetport-bench-console-"));
  const database = await freshDatabase(dir);
  const file = join(dir, "assets.csv");
  await writeCsv(file, ROWS);
  const server = await startServer(database.url, "all", { IMPORT_MAX_FILE_ENTRIES: String(ROWS) });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    const api = server.base;
    const headers = await login(api);
    await createFields(api, headers);
    await createCatalog(api, headers);
    let start = performance.now();
    const res = await fetch(`${api}/api/v4/assets-import`, { method: "POST", headers: { ...headers, "content-type": "text/csv" }, body: readFileSync(file) });
    const { import_id } = (await res.json()) as { import_id: number };
    const status = await waitCompleted(api, headers, import_id);
    console.log(`\nthe console's assets table over ${status.stats.success_count} assets (SQLite), Chromium headless, ${RUNS} runs each`);
    console.log(`  imported in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    for (const name of INDEXED) {
      const patched = await fetch(`${api}/api/v4/asset-fields/${name}`, { method: "PATCH", headers, body: JSON.stringify({ indexed: true }) });
      if (patched.status !== 200) throw new Error(`indexing ${name}: ${patched.status} ${await patched.text()}`);
    }
    console.log(`  indexed: ${INDEXED.join(", ")}; the view: ${viewQuery(0).replace(/gte]=0&/, "gte]=<from>&").replace(/lte]=100/, "lte]=<from+100>")}`);

    const context = await browser.newContext({ baseURL: api, viewport: { width: 1280, height: 800 } });
    await context.addInitScript(RECORD_ROWS);
    const page = await context.newPage();
    await logIn(page);
    // One visit first, so the page's code is in the browser's cache as it is for a person coming back.
    await page.goto(`/assets?${viewQuery(RUNS * 2)}`);
    await rowsShownAt(page, viewQuery(RUNS * 2));

    const loads: number[] = [];
    const changes: number[] = [];
    const apiTimes: number[] = [];
    const loadTotals: number[] = [];
    const changeTotals: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const view = viewQuery(run);
      await page.goto(`/assets?${view}`, { waitUntil: "commit" });
      // performance.now() counts from the navigation's start.
      loads.push(await rowsShownAt(page, view));
      loadTotals.push(await totalShownAt(page, 0));
      // The API alone, once the page's own requests are done.
      apiTimes.push(await timed(`${api}/api/v4/assets?${view}&limit=50&cursor=&fields=${DEFAULT_FIELDS}`, headers));
    }
    for (let run = RUNS; run < 2 * RUNS; run++) {
      const view = viewQuery(run);
      // What a header click or Next does: a new URL in the same page.
      const changedAt = await page.evaluate((url) => {
        const at = performance.now();
        (globalThis as unknown as { history: { pushState(state: null, unused: string, url: string): void } }).history.pushState(null, "", url);
        return at;
      }, `/assets?${view}`);
      changes.push((await rowsShownAt(page, view)) - changedAt);
      changeTotals.push((await totalShownAt(page, changedAt)) - changedAt);
      apiTimes.push(await timed(`${api}/api/v4/assets?${view}&limit=50&cursor=&fields=${DEFAULT_FIELDS}`, headers));
    }
    console.log(`  page load of a filtered, sorted /assets URL to its rows on screen: ${summary(loads)}`);
    console.log(`  in-page change of the view (a new URL, as a click makes) to its rows on screen: ${summary(changes)}`);
    console.log(`  ... to its total ("1–50 of N", a request of its own) on screen: page load ${summary(loadTotals)}; in-page change ${summary(changeTotals)}`);
    console.log(`  the API's own time for the same page (GET /api/v4/assets, cursor mode, the table's fields), right after the browser's: ${summary(apiTimes)}`);
    const countTimes: number[] = [];
    for (let run = 2 * RUNS; run < 3 * RUNS; run++) countTimes.push(await timed(`${api}/api/v4/assets?${viewQuery(run + 1)}&limit=1&idonly=true`, headers));
    console.log(`  the API's time for the total of a new view (the page's count request): ${summary(countTimes)}`);

    // The dashboard's three charts. The first request after the import counts every asset; after that
    // the service brings its tally up to date from the change feed, so a change costs its own changes.
    const groupings = ["category", "status", "site"];
    const counted: number[] = [];
    for (const group of groupings) counted.push(await timed(`${api}/api/v4/asset-stats?group_by=${group}`, headers));
    const first: number[] = [];
    const kept: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // A change to one asset: the kept answers no longer hold.
      const patched = await fetch(`${api}/api/v4/assets/asset-0000001`, { method: "PATCH", headers, body: JSON.stringify({ name: `Asset 1, change ${run}` }) });
      if (patched.status !== 200) throw new Error(`patch: ${patched.status}`);
      for (const group of groupings) first.push(await timed(`${api}/api/v4/asset-stats?group_by=${group}`, headers));
      for (const group of groupings) kept.push(await timed(`${api}/api/v4/asset-stats?group_by=${group}`, headers));
    }
    console.log(`  GET /api/v4/asset-stats?group_by=category|status|site, the first request after the import (every asset counted): ${counted.map((ms) => `${ms.toFixed(0)} ms`).join(", ")}`);
    console.log(`  ... the first request after a change to one asset: ${summary(first)}`);
    console.log(`  ... kept (no change since): ${summary(kept)}`);

    // An asset's history page and the dashboard's latest changes, over a feed of a million changes:
    // each reads the version before every change it shows.
    const history: number[] = [];
    const latest: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      history.push(await timed(`${api}/api/v4/assets/asset-0000001/changes?limit=20`, headers));
      latest.push(await timed(`${api}/api/v4/asset-changes?orderdesc=true&limit=10`, headers));
    }
    console.log(`  GET /api/v4/assets/{id}/changes?limit=20 (an asset's history): ${summary(history)}`);
    console.log(`  GET /api/v4/asset-changes?orderdesc=true&limit=10 (the dashboard's latest changes): ${summary(latest)}`);
    await context.close();
  } finally {
    await browser.close();
    await server.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
