import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { launchBrowser, logIn, newPage, screenshots, startConsoleApp } from "../helpers/browser.js";
import { assetCount, chooseFile, count, next, tenantWithFields, waitForCounts } from "./wizard-helpers.js";

const ROWS = 50_000;
// Long enough to be reloaded, asked and cancelled while it runs.
const CANCEL_ROWS = 150_000;

function bigCsv(prefix: string, rows = ROWS): Buffer {
  const lines = ["id,name,size"];
  for (let i = 1; i <= rows; i++) lines.push(`${prefix}-${String(i).padStart(6, "0")},Item ${i},${i % 100}`);
  return Buffer.from(`${lines.join("\n")}\n`);
}

/** Records every value the progress text's processed count takes, from inside the page. */
async function recordProcessed(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const seen = (window.processedSeen = []);
    const note = () => {
      const value = document.querySelector("[data-testid=processed]")?.textContent;
      if (value && seen[seen.length - 1] !== value) seen.push(value);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}

const processedSeen = (page: Page) => page.evaluate("window.processedSeen") as Promise<string[]>;

async function upToImport(page: Page, name: string, csv: Buffer): Promise<void> {
  await chooseFile(page, { name, mimeType: "text/csv", buffer: csv });
  await next(page);
  await next(page);
  await next(page, "Check");
  await waitForCounts(page, "0", "0");
  await next(page);
}

describe("console: a large import's progress, and cancel", () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  beforeAll(async () => {
    // Batches of 100 entries: the 50,000 take long enough to be watched, and 150,000 to be cancelled.
    [t, browser] = await Promise.all([startConsoleApp({ IMPORT_BATCH_SIZE: "100" }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("a 50,000-row CSV shows its progress moving and completes", async () => {
    const tenant = await tenantWithFields(t, [{ name: "size", type: "Integer" }]);
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page, tenant.username, tenant.password);
    await upToImport(page, "fifty-thousand.csv", bigCsv("big"));
    await recordProcessed(page);
    const requests: string[] = [];
    page.on("request", (request) => requests.push(new URL(request.url()).pathname));
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByTestId("processed").waitFor();
    // The import's number goes into the URL without leaving the wizard: the file's summary (with its size) stays.
    await expect.poll(() => new URL(page.url()).search).toMatch(/^\?import=\d+$/);
    expect(await page.getByText(/^fifty-thousand\.csv: CSV, [\d.]+ MB$/).count()).toBe(1);
    // Speed and time left, from the statuses the stream brings.
    await page.getByText(/[\d,]+ entries per second · (about .+|less than a second) left/).waitFor();
    await screenshots(page, "import-progress");
    await page.getByRole("heading", { name: "6. Result" }).waitFor({ timeout: 60_000 });
    await waitForCounts(page, "0", "0");
    const seen = await processedSeen(page);
    // At least two different counts between none and all: the bar moved while the import ran.
    expect(new Set(seen.filter((value) => value !== "0" && value !== "50,000")).size, seen.join(" ")).toBeGreaterThanOrEqual(2);
    expect(await assetCount(tenant.api)).toBe(ROWS);
    // The progress came from the event stream, not from polling.
    expect(requests.filter((path) => /^\/api\/v4\/assets-import\/\d+\/events$/.test(path))).toHaveLength(1);
    expect(requests.filter((path) => /^\/api\/v4\/assets-import\/\d+$/.test(path))).toHaveLength(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a reload keeps the wizard on its import; Cancel asks, then stops it: cancelled with what it had imported, the rest not processed", async () => {
    const tenant = await tenantWithFields(t, [{ name: "size", type: "Integer" }]);
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page, tenant.username, tenant.password);
    await upToImport(page, "to-cancel.csv", bigCsv("cancel", CANCEL_ROWS));
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByTestId("processed").waitFor();
    // The import's number is in the URL: a reload opens its progress, not an empty first step.
    await expect.poll(() => new URL(page.url()).search).toMatch(/^\?import=\d+$/);
    const importId = Number(new URL(page.url()).searchParams.get("import"));
    await page.reload();
    await page.getByRole("heading", { name: "5. Import" }).waitFor();
    await page.getByTestId("processed").waitFor();
    expect(await page.getByText("to-cancel.csv: CSV").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Import", exact: true }).count()).toBe(0);

    // Cancel asks first; Keep running keeps it running.
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    const ask = page.getByRole("dialog", { name: "Stop the import?" });
    await ask.waitFor();
    await ask.getByRole("button", { name: "Keep running" }).click();
    await ask.waitFor({ state: "hidden" });
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await ask.getByRole("button", { name: "Stop import" }).click();
    await page.getByRole("heading", { name: "6. Result" }).waitFor({ timeout: 60_000 });
    await page.getByText("Import cancelled").waitFor();
    // The entries it never reached are not processed, not failed.
    expect(await count(page, "failed")).toBe("0");
    const notProcessed = Number((await page.getByTestId("count-unprocessed").textContent())!.replace(/,/g, ""));
    expect(notProcessed).toBeGreaterThan(0);
    await screenshots(page, "import-cancelled");
    // A reload on the Result shows the same import's result.
    await page.reload();
    await page.getByRole("heading", { name: "6. Result" }).waitFor();
    await page.getByText("Import cancelled").waitFor();
    expect(new URL(page.url()).searchParams.get("import")).toBe(String(importId));

    const imports = (await tenant.api.get("/api/v4/assets-imports")).json().collection as Array<{
      import_id: number;
      status: string;
      source_name?: string;
      options: { dry_run: boolean };
      stats: { success_count: number; unprocessed_count?: number };
    }>;
    const real = imports.filter((item) => !item.options.dry_run);
    expect(real).toHaveLength(1);
    const cancelled = real[0]!;
    expect(cancelled.import_id).toBe(importId);
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.source_name).toBe("to-cancel.csv");
    expect(cancelled.stats.success_count).toBeLessThan(CANCEL_ROWS);
    expect(cancelled.stats.unprocessed_count).toBe(notProcessed);
    expect(await assetCount(tenant.api)).toBe(cancelled.stats.success_count);

    // The list: the file's name, the entries not processed, and the check only when asked for.
    await page.getByRole("link", { name: "Imports", exact: true }).click();
    const list = page.getByRole("table", { name: "Past imports" });
    await list.waitFor();
    await expect.poll(() => list.getByRole("row").count()).toBe(1 + 1);
    await expect.poll(() => list.getByRole("row").nth(1).textContent()).toMatch(/to-cancel\.csv.*not processed/);
    await page.getByRole("switch", { name: "Show checks (dry runs)" }).check({ force: true });
    await expect.poll(() => list.getByRole("row").count()).toBe(1 + 2);
    expect(await list.getByText("dry run").count()).toBe(1);
    await page.getByRole("switch", { name: "Show checks (dry runs)" }).uncheck({ force: true });
    await expect.poll(() => list.getByRole("row").count()).toBe(1 + 1);
    await screenshots(page, "imports-list");
    await page.getByRole("table", { name: "Past imports" }).getByRole("row").nth(1).click();
    await page.getByText("Import cancelled").waitFor();
    expect(await page.getByText(/^to-cancel\.csv · CSV/).count()).toBe(1);
    await screenshots(page, "import-page");
    expect(problems).toEqual([]);
    await context.close();
  });
});
