import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client, TestApp } from "../helpers/app.js";
import { launchBrowser, logIn, newPage, screenshots, startConsoleApp } from "../helpers/browser.js";
import { INVENTORY_SIZE, seedInventory } from "./inventory.js";
import { tenantWithFields } from "./wizard-helpers.js";

const VIEWER = { username: "list-viewer", password: "viewer-password-1" };

/** The IDs the API lists for a query (its own parameters), one page of 50 from `cursor`. */
async function apiPage(api: Client, query: string, cursor = ""): Promise<{ ids: string[]; next: string | null }> {
  const res = await api.get(`/api/v4/assets?${query}${query ? "&" : ""}limit=50&idonly=true&cursor=${encodeURIComponent(cursor)}`);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { collection: Array<{ id: string }>; next_cursor: string | null };
  return { ids: body.collection.map((a) => a.id), next: body.next_cursor };
}

async function apiTotal(api: Client, query: string): Promise<number> {
  const res = await api.get(`/api/v4/assets?${query}${query ? "&" : ""}limit=1`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().total_count as number;
}

const table = (page: Page) => page.getByRole("table", { name: "Assets" });
const shownIds = (page: Page) => table(page).locator("tbody tr td:first-child").allTextContents();
const position = (page: Page) => page.getByTestId("asset-position").textContent();
const header = (page: Page, name: string) => table(page).getByRole("columnheader").filter({ has: page.getByRole("button", { name, exact: true }) });
const search = (page: Page) => new URL(page.url()).search;

async function chooseOption(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole("combobox", { name: label }).first().click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

describe("console: the assets table", () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  let tenant: { api: Client; username: string; password: string };
  beforeAll(async () => {
    [t, browser] = await Promise.all([startConsoleApp(), launchBrowser()]);
    tenant = await tenantWithFields(t, []);
    await seedInventory(tenant.api);
    const viewer = await tenant.api.post("/api/v4/users", { ...VIEWER, full_name: "List Viewer", role: "viewer" });
    expect(viewer.statusCode, viewer.body).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("finds assets by search and by a filter built in the UI, sorts by two keys, pages forward and back, and a reload shows the same view", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page, tenant.username, tenant.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Assets" }).click();
    await page.getByRole("heading", { name: "Assets" }).waitFor();
    await expect.poll(() => position(page)).toBe(`1–50 of ${INVENTORY_SIZE}`);
    expect(await shownIds(page)).toEqual((await apiPage(tenant.api, "")).ids);
    // The default columns, the ID a link to the asset.
    expect(await table(page).getByRole("columnheader").allTextContents()).toEqual(["ID", "Name", "Category", "Status", "Site", "Updated"]);
    expect(await table(page).getByRole("row").nth(1).textContent()).toMatch(/ASSET-0001Monitor 1MonitorsIn useNorth depot/);
    await screenshots(page, "asset-list");

    // Search, debounced into the URL.
    await page.getByLabel("Search", { exact: true }).fill("Laptop 12");
    await expect.poll(() => search(page)).toBe("?search=Laptop%2012");
    const found = await apiPage(tenant.api, "search=Laptop%2012");
    expect(found.ids.length).toBeGreaterThan(0);
    expect(found.ids).toContain("ASSET-0012");
    await expect.poll(() => shownIds(page)).toEqual(found.ids);
    await expect.poll(() => position(page)).toBe(`1–${found.ids.length} of ${found.ids.length}`);
    await page.getByRole("button", { name: "Clear the search" }).click();
    await expect.poll(() => search(page)).toBe("");

    // A category branch (IT equipment and below: laptops and monitors) and a number range.
    await page.getByRole("button", { name: "Add filter" }).click();
    await chooseOption(page, "Filter by", "Category");
    await chooseOption(page, "Category", "IT equipment");
    expect(await page.getByRole("checkbox", { name: "Include subcategories" }).isChecked()).toBe(true);
    await page.getByRole("region", { name: "New filter" }).getByRole("button", { name: "Add filter" }).click();
    await page.getByRole("button", { name: "Add filter" }).click();
    await chooseOption(page, "Filter by", "weight_kg (Number)");
    await page.getByLabel("weight_kg from").fill("3");
    await page.getByLabel("weight_kg to").fill("6");
    await screenshots(page, "asset-list-filter-builder");
    await page.getByRole("region", { name: "New filter" }).getByRole("button", { name: "Add filter" }).click();
    const filtered = "filter[category][under]=it&filter[weight_kg][gte]=3&filter[weight_kg][lte]=6";
    await expect.poll(() => decodeURIComponent(search(page))).toBe(`?${filtered}`);
    expect(await page.getByRole("list", { name: "Filters" }).getByRole("listitem").allTextContents()).toEqual([
      "Category is in IT equipment (and below)",
      "weight_kg ≥ 3",
      "weight_kg ≤ 6",
      "Clear filters",
    ]);
    const filteredTotal = await apiTotal(tenant.api, filtered);
    expect(filteredTotal).toBeGreaterThan(50);
    expect(filteredTotal).toBeLessThan(200);
    await expect.poll(() => position(page)).toBe(`1–50 of ${filteredTotal}`);
    expect(await shownIds(page)).toEqual((await apiPage(tenant.api, filtered)).ids);

    // Sort: Status, then Shift-click Name twice (descending), each direction in aria-sort.
    await table(page).getByRole("button", { name: "Status", exact: true }).click();
    await expect.poll(() => header(page, "Status").getAttribute("aria-sort")).toBe("ascending");
    await table(page).getByRole("button", { name: "Name", exact: true }).click({ modifiers: ["Shift"] });
    await expect.poll(() => header(page, "Name").getAttribute("aria-sort")).toBe("ascending");
    await table(page).getByRole("button", { name: "Name", exact: true }).click({ modifiers: ["Shift"] });
    await expect.poll(() => header(page, "Name").getAttribute("aria-sort")).toBe("descending");
    expect(await header(page, "Status").getAttribute("aria-sort")).toBe("ascending");
    expect(await header(page, "Site").getAttribute("aria-sort")).toBeNull();
    const sorted = `${filtered}&order=status&order2=name&orderdesc2=true`;
    await expect.poll(() => decodeURIComponent(search(page))).toBe(`?${sorted}`);
    const first = await apiPage(tenant.api, sorted);
    await expect.poll(() => shownIds(page)).toEqual(first.ids);
    await screenshots(page, "asset-list-filtered");

    // Keyset paging: Next follows the cursor, Previous comes back.
    const second = await apiPage(tenant.api, sorted, first.next!);
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => shownIds(page)).toEqual(second.ids);
    await expect.poll(() => position(page)).toBe(`51–${50 + second.ids.length} of ${filteredTotal}`);
    await page.getByRole("button", { name: "Previous" }).click();
    await expect.poll(() => shownIds(page)).toEqual(first.ids);
    await expect.poll(() => position(page)).toBe(`1–50 of ${filteredTotal}`);
    expect(await page.getByRole("button", { name: "Previous" }).isDisabled()).toBe(true);

    // A reload of the second page shows the same view: filters, order, page and where it starts.
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => shownIds(page)).toEqual(second.ids);
    const url = page.url();
    await page.reload();
    await expect.poll(() => shownIds(page)).toEqual(second.ids);
    expect(page.url()).toBe(url);
    await expect.poll(() => position(page)).toBe(`51–${50 + second.ids.length} of ${filteredTotal}`);
    expect(await header(page, "Name").getAttribute("aria-sort")).toBe("descending");
    expect(await page.getByRole("list", { name: "Filters" }).getByRole("listitem").count()).toBe(4);
    await page.getByRole("button", { name: "Previous" }).click();
    await expect.poll(() => shownIds(page)).toEqual(first.ids);

    // A chip's remove button drops that filter alone, back to the first page.
    await page.getByRole("button", { name: "Remove filter: weight_kg ≤ 6" }).click();
    const wider = `filter[category][under]=it&filter[weight_kg][gte]=3&order=status&order2=name&orderdesc2=true`;
    await expect.poll(() => decodeURIComponent(search(page))).toBe(`?${wider}`);
    await expect.poll(() => position(page)).toBe(`1–50 of ${await apiTotal(tenant.api, wider)}`);
    await expect.poll(() => shownIds(page)).toEqual((await apiPage(tenant.api, wider)).ids);

    // A row opens its asset.
    const opened = (await shownIds(page))[0]!;
    await table(page).getByRole("link", { name: opened, exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/assets/${opened}`);

    // An edit there shows in the table on the way back, not the row as it was cached.
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Renamed in the console");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Renamed in the console" }).isVisible()).toBe(true);
    await page.goBack();
    await expect.poll(() => table(page).getByRole("row").filter({ hasText: opened }).textContent()).toContain("Renamed in the console");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("exports the view: the CSV and the NDJSON are the API's export of the same query, byte for byte", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page, tenant.username, tenant.password);
    const query = "filter[category]=laptops&filter[insured]=true&order=weight_kg&orderdesc=true&order2=name";
    await page.goto(`/assets?${query}`);
    await expect.poll(() => position(page)).toBe(`1–${(await apiPage(tenant.api, query)).ids.length} of ${await apiTotal(tenant.api, query)}`);
    for (const [format, label] of [
      ["csv", "CSV"],
      ["ndjson", "NDJSON"],
    ] as const) {
      await page.getByRole("button", { name: "Export" }).click();
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("menuitem", { name: label }).click()]);
      const bytes = await readFile((await download.path())!);
      const expected = await tenant.api.get(`/api/v4/assets-export?${query}&format=${format}`);
      expect(expected.statusCode).toBe(200);
      expect(bytes.length).toBeGreaterThan(100);
      expect(bytes.equals(expected.rawPayload)).toBe(true);
      expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${format}$`));
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it("keeps chosen columns in the URL, takes the dashboard's links, explains a refused query; a viewer sees no New asset button", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page, tenant.username, tenant.password);
    await page.goto("/assets?filter[category]=laptops");
    await expect.poll(() => position(page)).toBe(`1–50 of ${await apiTotal(tenant.api, "filter[category]=laptops")}`);
    expect(await page.getByRole("link", { name: "New asset" }).getAttribute("href")).toBe("/new-asset");

    // Sorting from the keyboard: Enter on a header, Shift+Enter on another adds it.
    await table(page).getByRole("button", { name: "Name", exact: true }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => decodeURIComponent(search(page))).toBe("?filter[category]=laptops&order=name");
    await table(page).getByRole("button", { name: "Site", exact: true }).focus();
    await page.keyboard.press("Shift+Enter");
    await expect.poll(() => decodeURIComponent(search(page))).toBe("?filter[category]=laptops&order=name&order2=site_id");
    await page.goto("/assets?filter[category]=laptops");

    // Columns: weight_kg added, Updated left out; kept through a reload.
    await page.getByRole("button", { name: /^Columns/ }).click();
    await page.getByRole("checkbox", { name: "weight_kg", exact: true }).check();
    await page.getByRole("checkbox", { name: "Updated", exact: true }).uncheck();
    await page.keyboard.press("Escape");
    await expect.poll(() => decodeURIComponent(search(page))).toBe("?filter[category]=laptops&columns=id,name,category,status,site_id,weight_kg");
    await page.reload();
    await expect.poll(() => table(page).getByRole("columnheader").allTextContents()).toEqual(["ID", "Name", "Category", "Status", "Site", "weight_kg"]);
    expect(await table(page).getByRole("row").nth(1).textContent()).toMatch(/^ASSET-0003Laptop 3LaptopsIn stockNorth depot2\.5$/);

    // A filter the API refuses: its sentence, not an empty table.
    await page.goto("/assets?filter[no_such_field]=1");
    await expect.poll(() => page.getByRole("alert", { name: "The assets could not be listed" }).textContent()).toMatch(/no field named 'no_such_field'/);
    expect(await page.getByRole("alert").count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();

    const viewer = await newPage(browser, t.baseUrl);
    await logIn(viewer.page, VIEWER.username, VIEWER.password);
    await viewer.page.goto("/assets");
    await expect.poll(() => position(viewer.page)).toBe(`1–50 of ${INVENTORY_SIZE}`);
    expect(await viewer.page.getByRole("button", { name: "Export" }).isVisible()).toBe(true);
    expect(await viewer.page.getByRole("link", { name: "New asset" }).count()).toBe(0);

    // A deleted asset leaves the list until "Show deleted" asks for it (include_inactive).
    expect((await tenant.api.delete("/api/v4/assets/ASSET-0001")).statusCode).toBe(204);
    await viewer.page.goto("/assets?columns=id,name,deleted_at");
    await expect.poll(async () => (await shownIds(viewer.page))[0]).toBe("ASSET-0002");
    await expect.poll(() => position(viewer.page)).toBe(`1–50 of ${INVENTORY_SIZE - 1}`);
    await viewer.page.getByRole("switch", { name: "Show deleted" }).check();
    await expect.poll(() => decodeURIComponent(search(viewer.page))).toBe("?include_inactive=true&columns=id,name,deleted_at");
    await expect.poll(async () => (await shownIds(viewer.page))[0]).toBe("ASSET-0001");
    expect(await table(viewer.page).getByRole("row").nth(1).textContent()).toMatch(/^ASSET-0001Monitor 1\w{3} \d+, \d{4}/);
    expect(viewer.problems).toEqual([]);
    await viewer.context.close();
  });
});
