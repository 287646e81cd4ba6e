import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { launchBrowser, logIn, newPage, screenshots, startConsoleApp } from "../helpers/browser.js";
import { assetCount, chooseFile, count, EXAMPLE1_FIELDS, EXAMPLE1_HEADER, EXAMPLE1_ROWS, example1Csv, mappingOf, next, pickSegment, tenantWithFields, waitForCounts } from "./wizard-helpers.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async function example1Xlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet("Notes").addRow(["not this sheet"]);
  const sheet = workbook.addWorksheet("Devices");
  sheet.addRow(EXAMPLE1_HEADER);
  for (const row of EXAMPLE1_ROWS) sheet.addRow(EXAMPLE1_HEADER.map((key) => row[key] ?? null));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe("console: the import wizard", () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startConsoleApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("imports Example 1 as CSV: the preview maps the columns, the check shows 2 failures and 3 warnings and writes nothing, the import reports the same", async () => {
    const tenant = await tenantWithFields(t, EXAMPLE1_FIELDS);
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page, tenant.username, tenant.password);
    await chooseFile(page, { name: "example1.csv", mimeType: "text/csv", buffer: Buffer.from(example1Csv()) });
    await screenshots(page, "wizard-source");
    await next(page);

    // The suggested mapping keeps the API's meaning.
    await page.getByRole("table", { name: "Columns" }).waitFor();
    expect(await mappingOf(page, "id")).toBe("ID (id)");
    expect(await mappingOf(page, "uid")).toBe("ID when id is empty (uid)");
    expect(await mappingOf(page, "name")).toBe("Name (name)");
    expect(await mappingOf(page, "brand")).toBe("brand (SingleLineText)");
    expect(await mappingOf(page, "size")).toBe("size (Number)");
    expect(await mappingOf(page, "is_available")).toBe("is_available (Checkbox)");
    expect(await mappingOf(page, "site_name")).toMatch(/^as it is: site_name/);
    expect(await page.getByRole("table", { name: "First rows" }).getByRole("row").count()).toBe(1 + 8);
    await screenshots(page, "wizard-map");
    await next(page);

    expect(await page.getByRole("switch", { name: "All or none" }).isChecked()).toBe(false);
    await screenshots(page, "wizard-options");
    await next(page, "Check");

    await waitForCounts(page, "2", "3");
    expect(await count(page, "created")).toBe("6");
    expect(await page.getByTestId("problems-total").textContent()).toBe("5 of 5 problems");
    const problemsTable = page.getByRole("table", { name: "Problems" });
    expect(await problemsTable.getByRole("row").count()).toBe(1 + 5);
    expect(await problemsTable.getByRole("row", { name: /size.*large.*Invalid value/ }).count()).toBe(1);
    expect(await problemsTable.getByRole("row", { name: /line 5.*Missing ID/ }).count()).toBe(1);
    await pickSegment(page, "Failures");
    expect(await problemsTable.getByRole("row").count()).toBe(1 + 2);
    await page.getByLabel("Search the problems").fill("Asset 101");
    expect(await problemsTable.getByRole("row").count()).toBe(1 + 1);
    await page.getByLabel("Search the problems").fill("");
    await screenshots(page, "wizard-check");
    expect(await assetCount(tenant.api)).toBe(0);

    await next(page);
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("heading", { name: "6. Result" }).waitFor({ timeout: 30_000 });
    await waitForCounts(page, "2", "3");
    expect(await count(page, "created")).toBe("6");
    const report = page.getByRole("table", { name: "Report" });
    expect(await report.getByRole("row").count()).toBe(1 + 11);
    await pickSegment(page, "Warnings");
    await expect.poll(() => report.getByRole("row").count()).toBe(1 + 3);
    await screenshots(page, "wizard-result");
    expect(await assetCount(tenant.api)).toBe(6);

    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download failed entries (CSV)" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const text = await (await file.createReadStream()).toArray();
    expect(Buffer.concat(text).toString()).toMatch(/Missing ID/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("imports Example 1 as XLSX, from the sheet picked, with the same outcome", async () => {
    const tenant = await tenantWithFields(t, EXAMPLE1_FIELDS);
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page, tenant.username, tenant.password);
    await chooseFile(page, { name: "example1.xlsx", mimeType: XLSX, buffer: await example1Xlsx() });
    const sheet = page.getByRole("combobox", { name: "Sheet" });
    await expect.poll(() => sheet.inputValue()).toBe("Notes");
    await sheet.click();
    await page.getByRole("option", { name: "Devices" }).click();
    await next(page);
    await page.getByRole("table", { name: "Columns" }).waitFor();
    expect(await mappingOf(page, "id")).toBe("ID (id)");
    expect(await mappingOf(page, "size")).toBe("size (Number)");
    await next(page);
    await next(page, "Check");
    await waitForCounts(page, "2", "3");
    expect(await assetCount(tenant.api)).toBe(0);
    await next(page);
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("heading", { name: "6. Result" }).waitFor({ timeout: 30_000 });
    await waitForCounts(page, "2", "3");
    expect(await assetCount(tenant.api)).toBe(6);
    const asset = (await tenant.api.get("/api/v4/assets/asset-114")).json();
    expect(asset).toMatchObject({ name: "Mouse", size: 12, connection_type: "wired", is_available: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});
