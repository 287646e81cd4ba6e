import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { launchBrowser, logIn, newPage, screenshots, startConsoleApp } from "../helpers/browser.js";
import { assetCount, chooseFile, next, tenantWithFields, waitForCounts } from "./wizard-helpers.js";

const ROWS = 50_000;

function bigCsv(prefix: string): Buffer {
  const lines = ["id,name,size"];
  for (let i = 1; i <= ROWS; i++) lines.push(`${prefix}-${String(i).padStart(6, "0")},Item ${i},${i % 100}`);
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
    // Batches of 1,000 entries: the 50,000 take long enough to be watched, and to be cancelled.
    [t, browser] = await Promise.all([startConsoleApp({ IMPORT_BATCH_SIZE: "1000" }), launchBrowser()]);
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
    // Speed and time left, from the statuses the stream brings.
    await page.getByText(/[\d,]+ entries per second · about .+ left/).waitFor();
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

  it("Cancel stops an import: it ends cancelled with what it had imported", async () => {
    const tenant = await tenantWithFields(t, [{ name: "size", type: "Integer" }]);
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page, tenant.username, tenant.password);
    await upToImport(page, "to-cancel.csv", bigCsv("cancel"));
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await page.getByRole("heading", { name: "6. Result" }).waitFor({ timeout: 60_000 });
    await page.getByText("Import cancelled").waitFor();
    await screenshots(page, "import-cancelled");
    const imports = (await tenant.api.get("/api/v4/assets-imports")).json().collection as Array<{ status: string; options: { dry_run: boolean }; stats: { success_count: number } }>;
    const cancelled = imports.find((item) => !item.options.dry_run)!;
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.stats.success_count).toBeLessThan(ROWS);
    expect(await assetCount(tenant.api)).toBe(cancelled.stats.success_count);

    // The import's own page shows the same, from the list.
    await page.getByRole("link", { name: "Imports", exact: true }).click();
    await page.getByRole("table", { name: "Past imports" }).waitFor();
    await screenshots(page, "imports-list");
    await page.getByRole("table", { name: "Past imports" }).getByRole("row").nth(1).click();
    await page.getByText("Import cancelled").waitFor();
    await screenshots(page, "import-page");
    expect(problems).toEqual([]);
    await context.close();
  });
});
