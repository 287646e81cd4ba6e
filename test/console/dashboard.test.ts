import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, type Client, type TestApp } from "../helpers/app.js";
import { launchBrowser, logIn, newPage, PHONE, screenshots, startConsoleApp } from "../helpers/browser.js";
import { INVENTORY_SIZE, seedInventory } from "./inventory.js";
import { tenantWithFields } from "./wizard-helpers.js";

// The dashboard over the shared inventory (300 assets by one import): the
// charts' numbers against GET /asset-stats, a bar and a link into the filtered
// list, the seed's import among the recent ones, an API edit among the latest
// changes with its actor, and what a viewer and an empty registry see.

interface Group {
  value: string | null;
  name?: string;
  count: number;
}

const PASSWORD = "dashboard-password-1";

/** A user of the tenant with a role; usernames are global, so they carry the tenant's prefix. */
async function addUser(api: Client, tenantAdmin: string, role: "viewer" | "editor", fullName: string): Promise<string> {
  const username = tenantAdmin.replace(/-admin$/, `-${role}`);
  const res = await api.post("/api/v4/users", { username, password: PASSWORD, full_name: fullName, role });
  expect(res.statusCode, res.body).toBe(201);
  return username;
}

async function stats(api: Client, groupBy: string): Promise<{ total_count: number; groups: Group[] }> {
  const res = await api.get(`/api/v4/asset-stats?group_by=${groupBy}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The rows of a chart's table as [label, count] pairs, as a screen reader reads them. */
async function chartRows(page: Page, title: string): Promise<string[][]> {
  const table = page.getByRole("table", { name: `Assets ${title}` });
  await table.waitFor();
  const rows = table.getByRole("row");
  const texts: string[][] = [];
  for (let i = 1; i < (await rows.count()); i++) texts.push((await rows.nth(i).getByRole("cell").allTextContents()).map((s) => s.trim()));
  return texts;
}

const pathAndQuery = (page: Page) => {
  const url = new URL(page.url());
  return decodeURIComponent(url.pathname + url.search);
};

describe("console: the dashboard", () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  let tenant: { api: Client; username: string; password: string };
  let importId: number;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startConsoleApp(), launchBrowser()]);
    tenant = await tenantWithFields(t, []);
    importId = await seedInventory(tenant.api);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("charts the assets by category, status and site with the API's counts, and a bar or a link opens the filtered list", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page, tenant.username, tenant.password);
    await expect.poll(() => page.getByTestId("asset-total").textContent()).toBe(String(INVENTORY_SIZE));

    for (const [groupBy, title] of [
      ["category", "by category"],
      ["status", "by status"],
      ["site", "by site"],
    ] as const) {
      const expected = await stats(tenant.api, groupBy);
      expect(expected.total_count).toBe(INVENTORY_SIZE);
      expect(await chartRows(page, title), groupBy).toEqual(expected.groups.map((g) => [g.name ?? g.value, String(g.count)]));
      // One bar per value, drawn.
      await expect.poll(() => page.getByTestId(`chart-${groupBy}`).locator(".recharts-bar-rectangle").count()).toBe(expected.groups.length);
    }
    await page.getByTestId("chart-category").locator(".recharts-bar-rectangle").first().waitFor();
    await screenshots(page, "dashboard");

    // A click on the Laptops bar opens the list filtered by that category, in the API's syntax.
    const categories = await stats(tenant.api, "category");
    const laptops = categories.groups.findIndex((g) => g.value === "laptops");
    expect(laptops).toBeGreaterThanOrEqual(0);
    await page.getByTestId("chart-category").locator(".recharts-bar-rectangle path").nth(laptops).click();
    await expect.poll(() => pathAndQuery(page)).toBe("/assets?filter[category]=laptops");

    // The table beside each chart is the keyboard's way in: a status and a site.
    await page.goBack();
    await page.getByRole("table", { name: "Assets by status" }).getByRole("link", { name: "In use" }).click();
    await expect.poll(() => pathAndQuery(page)).toBe("/assets?filter[status]=in-use");
    await page.goBack();
    await page.getByRole("table", { name: "Assets by site" }).getByRole("link", { name: "North depot" }).click();
    await expect.poll(() => pathAndQuery(page)).toBe("/assets?filter[site_id]=depot");
    await page.goBack();
    await page.getByRole("link", { name: "Browse all assets" }).click();
    await expect.poll(() => pathAndQuery(page)).toBe("/assets");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows the seed's import among the recent imports with its outcome, and an API edit among the latest changes with its actor", async () => {
    const editor = await addUser(tenant.api, tenant.username, "editor", "Eddie Editor");
    const editorApi = await login(t.app, editor, PASSWORD);
    const edit = await editorApi.patch("/api/v4/assets/ASSET-0042", { name: "Desk by the window", status: "retired" });
    expect(edit.statusCode, edit.body).toBe(200);
    const feed = (await tenant.api.get("/api/v4/asset-changes?orderdesc=true&limit=1")).json();
    expect(feed.collection[0]).toMatchObject({ asset_id: "ASSET-0042", action: "updated", actor: editor });

    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page, tenant.username, tenant.password);

    const imports = page.getByRole("list", { name: "Latest imports" });
    const seed = imports.getByRole("listitem").filter({ hasText: `Import #${importId}` });
    await seed.waitFor();
    expect(await seed.textContent()).toContain("inventory.json");
    expect(await seed.textContent()).toContain(`${INVENTORY_SIZE} of ${INVENTORY_SIZE} imported`);
    expect(await seed.getByText("Completed").isVisible()).toBe(true);
    expect(await page.getByRole("list", { name: "Imports by outcome" }).textContent()).toMatch(/1 import.*Completed\s*1/);

    const latest = page.getByRole("list", { name: "Latest changes" }).getByRole("listitem");
    await latest.first().waitFor();
    const newest = latest.first();
    expect(await newest.textContent()).toContain("Desk by the window");
    expect(await newest.textContent()).toContain(editor);
    expect(await newest.getByText("Updated").isVisible()).toBe(true);
    expect(await newest.textContent()).toMatch(/Changed (name, status|status, name)/);
    // The import's own changes follow, each with a link to the import they came from.
    expect(await latest.count()).toBe(10);
    expect(await latest.nth(1).getByRole("link", { name: `import #${importId}` }).getAttribute("href")).toBe(`/imports/${importId}`);
    await screenshots(page, "dashboard-activity");

    await newest.getByRole("link", { name: "ASSET-0042" }).click();
    await expect.poll(() => pathAndQuery(page)).toBe("/assets/ASSET-0042");
    await page.goBack();
    await seed.getByRole("link", { name: `Import #${importId}` }).click();
    await expect.poll(() => pathAndQuery(page)).toBe(`/imports/${importId}`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a viewer sees the dashboard on a phone without the Import button, nothing wider than the screen", async () => {
    const viewer = await addUser(tenant.api, tenant.username, "viewer", "Vic Viewer");
    const { context, page, problems } = await newPage(browser, t.baseUrl, PHONE);
    await logIn(page, viewer, PASSWORD);
    await expect.poll(() => page.getByTestId("asset-total").textContent()).toBe(String(INVENTORY_SIZE));
    await page.getByRole("table", { name: "Assets by site" }).waitFor();
    await page.getByRole("list", { name: "Latest changes" }).waitFor();
    expect(await page.getByRole("link", { name: "Import", exact: true }).count()).toBe(0);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(PHONE.width);
    await screenshots(page, "dashboard-viewer");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("an empty registry says what to do: import assets, or, for a viewer, who can", async () => {
    const empty = await tenantWithFields(t, []);
    const viewer = await addUser(empty.api, empty.username, "viewer", "Val Viewer");
    const admin = await newPage(browser, t.baseUrl);
    await logIn(admin.page, empty.username, empty.password);
    await admin.page.getByText("The registry has no assets yet.").waitFor();
    expect(await admin.page.getByRole("link", { name: "Import assets" }).getAttribute("href")).toBe("/imports/new");
    await admin.page.getByText("No imports in the last 30 days.").waitFor();
    await admin.page.getByText(/^No changes yet/).waitFor();
    expect(await admin.page.getByRole("table").count()).toBe(0);
    await screenshots(admin.page, "dashboard-empty");
    expect(admin.problems).toEqual([]);
    await admin.context.close();

    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page, viewer, PASSWORD);
    await page.getByText("The registry has no assets yet.").waitFor();
    expect(await page.getByText(/an editor or an admin imports or creates assets/).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Import", exact: true }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Import assets" }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows the service's sentence when the counts cannot be read, and loads them on Try again", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    let refuse = true;
    await page.route("**/api/v4/asset-stats?group_by=status", (route) =>
      refuse
        ? route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ code: 503, error: "the database is busy, try again shortly" }) })
        : route.continue(),
    );
    await logIn(page, tenant.username, tenant.password);
    const alert = page.getByRole("alert").filter({ hasText: "the database is busy" });
    await alert.waitFor();
    // The other charts do not depend on it.
    await page.getByRole("table", { name: "Assets by category" }).waitFor();
    refuse = false;
    await alert.getByRole("button", { name: "Try again" }).click();
    await page.getByRole("table", { name: "Assets by status" }).waitFor();
    expect(await alert.count()).toBe(0);
    // The refused answer is a console error of the browser's own ("Failed to load resource"), which newPage leaves out.
    expect(problems).toEqual([]);
    await context.close();
  });
});
