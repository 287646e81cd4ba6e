import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { badgesCut, DESKTOP, launchBrowser, logIn, newPage, PHONE, screenshots, startConsoleApp } from "../helpers/browser.js";
import { assetCount, chooseFile, count, EXAMPLE1_FIELDS, EXAMPLE1_HEADER, EXAMPLE1_ROWS, example1Csv, mapColumn, mapColumnByKeyboard, mappingOf, next, pickSegment, tenantWithFields, waitForCounts } from "./wizard-helpers.js";

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
    await expect.poll(() => page.getByTestId("problems-total").textContent()).toBe("5 of 5 problems");
    const problemsTable = page.getByRole("table", { name: "Problems" });
    expect(await problemsTable.getByRole("row").count()).toBe(1 + 5);
    expect(await problemsTable.getByRole("row", { name: /size.*large.*Invalid value/ }).count()).toBe(1);
    expect(await problemsTable.getByRole("row", { name: /line 5.*Missing ID/ }).count()).toBe(1);
    // The service filters and pages: the count tells when the rows are of the filter asked for.
    const total = () => page.locator('[data-testid="problems-total"][aria-busy="false"]').textContent();
    await pickSegment(page, "Failures");
    await expect.poll(total).toBe("2 of 5 problems");
    expect(await problemsTable.getByRole("row").count()).toBe(1 + 2);
    await page.getByLabel("Search the problems").fill("asset 101");
    await expect.poll(total).toBe("1 of 5 problems");
    expect(await problemsTable.getByRole("row", { name: /Asset 101.*Invalid ID found/ }).count()).toBe(1);
    await page.getByLabel("Search the problems").fill("");
    await expect.poll(total).toBe("2 of 5 problems");
    // The message does not repeat the line and the column shown in their own cells.
    const messages = await problemsTable.locator("tbody tr td:last-child").allTextContents();
    expect(messages.filter((message) => /^(line|row) \d+: /.test(message) || /^size: /.test(message)), messages.join(" | ")).toEqual([]);
    await screenshots(page, "wizard-check");
    expect(await badgesCut(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    // At a phone's width each problem is a card, its message under the entry, and no badge is cut.
    const cards = page.getByRole("list", { name: "Problems" });
    await cards.waitFor();
    expect(await cards.getByRole("listitem").count()).toBe(2);
    expect(await badgesCut(page)).toEqual([]);
    await page.setViewportSize(DESKTOP);
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
    expect(await badgesCut(page)).toEqual([]);
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
    await page.getByText(/^example1\.xlsx: XLSX, sheet Devices, /).waitFor();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("heading", { name: "6. Result" }).waitFor({ timeout: 30_000 });
    await waitForCounts(page, "2", "3");
    expect(await assetCount(tenant.api)).toBe(6);
    const asset = (await tenant.api.get("/api/v4/assets/asset-114")).json();
    expect(asset).toMatchObject({ name: "Mouse", size: 12, connection_type: "wired", is_available: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a remapped column lands in the field chosen; an admin creates a missing field from a column; a left-out column is not sent", async () => {
    const tenant = await tenantWithFields(t, [{ name: "brand", type: "SingleLineText" }]);
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page, tenant.username, tenant.password);
    const csv = "Serial;Title;Maker;Weight kg;Notes\nr-1;Router;Cisco;1.5;keep out\nr-2;Switch;Netgear;2;\n";
    await chooseFile(page, { name: "network.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await expect.poll(() => page.getByRole("combobox", { name: "Delimiter" }).inputValue()).toBe("semicolon ;");
    await next(page);
    await page.getByRole("table", { name: "Columns" }).waitFor();
    expect(await mappingOf(page, "Serial")).toBe("as it is: Serial (unknown field, warned)");
    const columnRow = (column: string) => page.getByRole("table", { name: "Columns" }).getByRole("row").filter({ hasText: column });
    expect(await columnRow("Serial").textContent()).toMatch(/no match/);
    await mapColumnByKeyboard(page, "Serial", "ID (id)", "ID (id)");
    // The badge says what the column is imported as now.
    await expect.poll(() => columnRow("Serial").textContent()).not.toMatch(/no match/);
    await expect.poll(() => columnRow("Serial").textContent()).toMatch(/ID/);
    await mapColumnByKeyboard(page, "Title", "Name", "Name (name)");
    // Typing after a click filters the choices (the search starts empty).
    const maker = page.getByRole("combobox", { name: "Import column Maker as", exact: true });
    await maker.click();
    await page.keyboard.type("brand");
    await page.locator('[role="option"][data-combobox-selected="true"]').filter({ hasText: "brand (SingleLineText)" }).waitFor();
    await page.keyboard.press("Enter");
    await expect.poll(() => maker.inputValue()).toBe("brand (SingleLineText)");
    await expect.poll(() => columnRow("Maker").textContent()).toMatch(/field · SingleLineText/);
    await mapColumn(page, "Notes", "leave out");
    const create = page.getByRole("combobox", { name: "Import column Weight kg as", exact: true });
    await create.click();
    const createOption = page.getByRole("option", { name: /^create field Weight kg \(/ });
    const createLabel = (await createOption.textContent()) ?? "";
    expect(createLabel).toMatch(/^create field Weight kg \((Number|Decimal)\)$/);
    await createOption.click();
    await expect.poll(() => create.inputValue()).toMatch(/^Weight kg \((Number|Decimal)\)$/);
    await screenshots(page, "wizard-remap");
    await next(page);
    await next(page, "Check");
    await waitForCounts(page, "0", "0");
    await next(page);
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("heading", { name: "6. Result" }).waitFor({ timeout: 30_000 });
    await waitForCounts(page, "0", "0");

    const router = (await tenant.api.get("/api/v4/assets/r-1")).json();
    expect(router).toMatchObject({ id: "r-1", name: "Router", brand: "Cisco", "Weight kg": 1.5 });
    expect(router).not.toHaveProperty("Notes");
    expect(router).not.toHaveProperty("Serial");
    const imports = (await tenant.api.get("/api/v4/assets-imports")).json().collection;
    expect(imports[0].options).toMatchObject({ columns: { Serial: "id", Title: "name", Maker: "brand", Notes: null } });
    expect(imports.map((item: { source_name?: string }) => item.source_name)).toEqual(["network.csv", "network.csv"]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("back to the mapping, a change, a new check; then a double click on Import imports once", async () => {
    const tenant = await tenantWithFields(t, []);
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page, tenant.username, tenant.password);
    // A long column name makes long warnings, which squeezed the status column to "WARNI…".
    const long = "a long explanation of what this column holds and why it matters ".repeat(4).trim();
    await chooseFile(page, { name: "two.csv", mimeType: "text/csv", buffer: Buffer.from(`id,name,${long}\na-1,One,x\na-2,Two,y\n`) });
    await next(page);
    await next(page);
    await next(page, "Check");
    await waitForCounts(page, "0", "2");
    await page.getByRole("table", { name: "Problems" }).waitFor();
    expect(await badgesCut(page)).toEqual([]);
    // Back to the mapping, a change, and the check runs again with it.
    await page.getByRole("button", { name: "Back", exact: true }).click();
    await page.getByRole("button", { name: "Back", exact: true }).click();
    await mapColumn(page, "name", "leave out");
    await next(page);
    await next(page, "Check");
    await waitForCounts(page, "0", "2");
    await next(page);
    await page.getByRole("button", { name: "Import", exact: true }).dblclick();
    await page.getByRole("heading", { name: "6. Result" }).waitFor({ timeout: 30_000 });
    const imports = (await tenant.api.get("/api/v4/assets-imports")).json().collection as Array<{ options: { dry_run: boolean; columns?: object } }>;
    expect(imports.filter((item) => !item.options.dry_run)).toHaveLength(1);
    expect(imports.filter((item) => item.options.dry_run).map((item) => item.options.columns ?? null)).toEqual([{ name: null }, null]);
    expect(await assetCount(tenant.api)).toBe(2);
    expect((await tenant.api.get("/api/v4/assets/a-1")).json()).toMatchObject({ name: "a-1" });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a file the service refuses is explained in words; pasted JSON is previewed", async () => {
    const tenant = await tenantWithFields(t, [{ name: "brand", type: "SingleLineText" }]);
    const { context, page } = await newPage(browser, t.baseUrl);
    await logIn(page, tenant.username, tenant.password);
    await chooseFile(page, { name: "twice.csv", mimeType: "text/csv", buffer: Buffer.from("id,name,id\na,b,c\n") });
    const alert = page.getByRole("alert").filter({ hasText: "The file could not be read" });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/id/);
    expect(await page.getByRole("button", { name: "Next", exact: true }).isDisabled()).toBe(true);
    await screenshots(page, "wizard-refused");

    // Files the service reads but that hold nothing to import are refused here, in words.
    const refusal = page.getByRole("alert").filter({ hasText: "This file cannot be imported" });
    for (const [name, bytes, words] of [
      ["header-only.csv", Buffer.from("id,name\n"), "The file has a header but no entries"],
      ["empty.csv", Buffer.alloc(0), /no header row|empty/],
      ["binary.csv", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x0a, 0x41, 0x42, 0x0a]), "This does not look like a CSV text file"],
    ] as const) {
      await page.getByLabel("File to import").setInputFiles({ name, mimeType: "text/csv", buffer: bytes });
      await page.getByText(name).waitFor();
      const said = page.getByRole("alert").filter({ hasText: words });
      await said.waitFor();
      if (typeof words === "string") expect(await refusal.textContent()).toContain(words);
      expect(await page.getByRole("button", { name: "Next", exact: true }).isDisabled()).toBe(true);
    }

    await page.getByLabel("Or paste CSV or JSON").fill('[{"id": "p-1", "name": "Pasted", "brand": "Acme"}]');
    expect(await page.getByRole("radio", { name: "JSON", exact: true }).isChecked()).toBe(true);
    await page.getByRole("button", { name: "Use the pasted text" }).click();
    await page.getByText("pasted JSON").waitFor();
    await next(page);
    expect(await mappingOf(page, "brand")).toBe("brand (SingleLineText)");
    // JSON has no empty cells or decimal commas: its options are null values only.
    await next(page);
    expect(await page.getByRole("radiogroup", { name: "null values" }).isVisible()).toBe(true);
    expect(await page.getByText("Decimal separator").count()).toBe(0);

    // Pasted CSV with a decimal comma: the options preselect it, and say why.
    await page.getByRole("button", { name: "Back", exact: true }).click();
    await page.getByRole("button", { name: "Back", exact: true }).click();
    await page.getByLabel("Or paste CSV or JSON").fill("id;name;price\nd-1;Desk;3,20\nd-2;Chair;12,5\n");
    await page.getByRole("button", { name: "Use the pasted text" }).click();
    await page.getByText("pasted CSV").waitFor();
    await next(page);
    await next(page);
    await page.getByText("Detected from the file: decimal comma").waitFor();
    expect(await page.getByRole("radio", { name: "Comma (3,20)" }).isChecked()).toBe(true);
    // A separator the user chooses goes to the preview too, which reads the file again with it.
    const previewAgain = page.waitForRequest((request) => request.url().includes("/preview?") && new URL(request.url()).searchParams.get("decimal_separator") === ".");
    await page.getByRole("radio", { name: "Point (3.20)" }).check({ force: true });
    await previewAgain;
    expect(await page.getByText("Detected from the file: decimal comma").count()).toBe(0);
    await context.close();
  });
});
