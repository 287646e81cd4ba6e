import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAsset, login, type Client, type TestApp } from "../helpers/app.js";
import { isFocused, launchBrowser, logIn, newPage, PHONE, screenshots, startConsoleApp } from "../helpers/browser.js";
import { seedInventory } from "./inventory.js";

const EDITOR = { username: "eddie", password: "editor-password-1", full_name: "Eddie Editor", role: "editor" };
const VIEWER = { username: "vera", password: "viewer-password-1", full_name: "Vera Viewer", role: "viewer" };

const selectInput = (page: Page, label: string) => page.getByRole("textbox", { name: label, exact: true }).or(page.getByRole("combobox", { name: label, exact: true })).first();

/** Picks an option of a Mantine Select by its label. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  const select = selectInput(page, label);
  await select.click();
  await page.getByRole("option", { name: option, exact: true }).click();
  await expect.poll(() => select.inputValue()).toBe(option);
}

/** The card of one group of values ("Attributes", a category's name, "Other fields", "History"). */
const section = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

/** The value shown beside a label of a card's list. */
async function shown(page: Page, group: string, label: string): Promise<string> {
  const term = section(page, group).locator("dt", { hasText: new RegExp(`^${label}$`) });
  if ((await term.count()) === 0) return "(no such label)";
  return ((await term.locator("xpath=following-sibling::dd[1]").textContent()) ?? "").trim();
}

const historyItems = (page: Page) => section(page, "History").getByRole("listitem").filter({ has: page.locator(".mantine-Timeline-itemBullet") });

async function openAsset(page: Page, id: string, name: string): Promise<void> {
  await page.goto(`/assets/${encodeURIComponent(id)}`);
  await expect.poll(() => page.getByRole("heading", { level: 1, name }).isVisible()).toBe(true);
  await section(page, "History").getByRole("listitem").first().waitFor();
}

describe("console: one asset, its edit form, history and the create form", () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  let importId: number;
  let editor: Client;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startConsoleApp(), launchBrowser()]);
    importId = await seedInventory(t.api);
    for (const user of [EDITOR, VIEWER]) expect((await t.api.post("/api/v4/users", user)).statusCode).toBe(201);
    editor = await login(t.app, EDITOR.username, EDITOR.password);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("shows the fields grouped by category, saves two changed values with If-Match and puts the change at the top of the history", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page);
    await openAsset(page, "ASSET-0003", "Laptop 3");
    expect(await shown(page, "Attributes", "Category")).toBe("IT equipment › Laptops");
    expect(await shown(page, "Attributes", "Status")).toBe("In stock");
    expect(await shown(page, "Attributes", "Site")).toBe("North depot (depot)");
    expect(await shown(page, "Attributes", "Version")).toBe("1");
    // Fields come from the category that brings them: the parent's, then the leaf's.
    expect(await shown(page, "IT equipment", "weight_kg")).toBe("2.5");
    expect(await shown(page, "IT equipment", "condition")).toBe("broken");
    expect(await shown(page, "IT equipment", "serial")).toBe("SN100021");
    expect(await shown(page, "Laptops", "ram_gb")).toBe("8");
    expect(await shown(page, "Laptops", "weight_kg")).toBe("(no such label)");
    await screenshots(page, "asset-view");

    const patches: Request[] = [];
    page.on("request", (request) => {
      if (request.method() === "PATCH") patches.push(request);
    });
    await page.getByRole("button", { name: "Edit" }).click();
    // The edit mode starts at the name; leaving it puts the focus back on the heading.
    await expect.poll(() => isFocused(page.getByRole("textbox", { name: "Name" }))).toBe(true);
    const weight = page.getByRole("textbox", { name: "weight_kg" });
    await weight.fill("3.75");
    await choose(page, "condition", "good");
    await screenshots(page, "asset-edit");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => shown(page, "IT equipment", "weight_kg")).toBe("3.75");
    expect(await shown(page, "IT equipment", "condition")).toBe("good");
    expect(await shown(page, "Attributes", "Version")).toBe("2");
    expect(await isFocused(page.getByRole("heading", { level: 1, name: "Laptop 3" }))).toBe(true);

    // Only the changed keys, based on the version read.
    expect(patches).toHaveLength(1);
    expect(patches[0]!.postDataJSON()).toEqual({ weight_kg: "3.75", condition: "good" });
    expect(await patches[0]!.headerValue("if-match")).toBe('"1"');

    const top = historyItems(page).first();
    await expect.poll(() => top.textContent()).toMatch(/^Updated/);
    const text = (await top.textContent()) ?? "";
    expect(text).toMatch(/admin · .* · through the API · version 2/);
    expect(text).toContain("weight_kg: 2.5 → 3.75");
    expect(text).toContain("condition: broken → good");
    expect((await getAsset(t.api, "ASSET-0003")).weight_kg).toBe(3.75);
    await screenshots(page, "asset-saved");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("links an imported asset's history to the import and entry it came from", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl, PHONE);
    await logIn(page);
    await openAsset(page, "ASSET-0005", "Desk 5");
    const created = historyItems(page).first();
    expect(await created.textContent()).toMatch(new RegExp(`^Created.*by import #${importId}, entry 5 · version 1`));
    // A creation lists every value from no value.
    expect(await created.textContent()).toContain("weight_kg: no value → 3.5");
    await created.getByRole("link", { name: `import #${importId}` }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1, name: `Import #${importId}` }).isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe(`/imports/${importId}`);
    // The entry's link opens the import at that entry: what the import did with it.
    await page.goBack();
    await historyItems(page).first().getByRole("link", { name: "entry 5" }).click();
    const entry = page.getByRole("region", { name: "Entry 5" });
    await expect.poll(() => entry.isVisible()).toBe(true);
    expect(new URL(page.url()).search).toBe("?entry=5");
    await expect.poll(() => entry.getByRole("listitem").first().textContent()).toMatch(/Entry 5.*created.*Success/i);
    await screenshots(page, "import-entry");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a stale edit says who changed the asset and when, keeps the typed value, and Reload shows theirs", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page);
    await openAsset(page, "ASSET-0006", "Laptop 6");
    await page.getByRole("button", { name: "Edit" }).click();
    const weight = page.getByRole("textbox", { name: "weight_kg" });
    await weight.fill("7");
    // Meanwhile an editor changes the asset.
    expect((await editor.patch("/api/v4/assets/ASSET-0006", { weight_kg: 42 })).statusCode).toBe(200);
    await page.getByRole("button", { name: "Save" }).click();
    const conflict = page.getByRole("alert").filter({ hasText: "Someone else changed this asset" });
    await expect.poll(() => conflict.textContent()).toMatch(/eddie updated it on .* \(version 2\)/);
    expect(await weight.inputValue()).toBe("7");
    await screenshots(page, "asset-conflict");
    expect((await getAsset(t.api, "ASSET-0006")).weight_kg).toBe(42);

    await conflict.getByRole("button", { name: "Reload" }).click();
    await expect.poll(() => shown(page, "IT equipment", "weight_kg")).toBe("42");
    expect(await shown(page, "Attributes", "Version")).toBe("2");
    expect(await historyItems(page).first().textContent()).toContain("eddie");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("an invalid value shows the API's message by its input and changes nothing", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page);
    await openAsset(page, "ASSET-0007", "Monitor 7");
    await page.getByRole("button", { name: "Edit" }).click();
    const weight = page.getByRole("textbox", { name: "weight_kg" });
    await weight.fill("heavy");
    await page.getByRole("textbox", { name: "serial" }).fill("SN-NEW");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => weight.getAttribute("aria-invalid")).toBe("true");
    // The message sits by the input (its description for assistive technology too).
    const describedBy = (await weight.getAttribute("aria-describedby")) ?? "";
    const messages = await Promise.all(describedBy.split(" ").map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(messages.join(" ")).toContain("weight_kg: Invalid value found for field 'weight_kg' of type: 'Number': bad request");
    expect(await page.getByRole("alert").filter({ hasText: "Nothing was saved" }).isVisible()).toBe(true);
    await screenshots(page, "asset-invalid");
    const stored = await getAsset(t.api, "ASSET-0007");
    expect(stored).toMatchObject({ version: 1, weight_kg: 4.5, serial: "SN100049" });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("deletes after a confirmation, shows who deleted it and when, and restores", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page);
    await openAsset(page, "ASSET-0008", "Desk 8");
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Delete Desk 8?" });
    await dialog.getByRole("button", { name: "Delete asset" }).click();
    const banner = page.getByRole("status").filter({ hasText: "This asset is deleted" });
    await expect.poll(() => banner.textContent()).toMatch(/Deleted on .* by admin\./);
    expect(await page.getByRole("button", { name: "Edit" }).count()).toBe(0);
    await expect.poll(() => historyItems(page).first().textContent()).toMatch(/^Deleted/);
    expect((await getAsset(t.api, "ASSET-0008")).is_active).toBe(false);
    await screenshots(page, "asset-deleted");

    await banner.getByRole("button", { name: "Restore" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Edit" }).isVisible()).toBe(true);
    expect(await banner.count()).toBe(0);
    await expect.poll(() => historyItems(page).first().textContent()).toMatch(/^Restored.*version 3/);
    expect((await getAsset(t.api, "ASSET-0008")).is_active).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("creates an asset with the series' next free ID; a taken ID is explained", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page);
    await page.goto("/new-asset");
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "New asset" }).isVisible()).toBe(true);
    const id = page.getByRole("textbox", { name: "ID", exact: true });
    await id.fill("ASSET-0001");
    await page.getByRole("textbox", { name: "Name" }).fill("Laptop 301");
    await choose(page, "Category", "IT equipment › Laptops");
    // The category's fields appear, its parent's too; the status is the set's first.
    await page.getByRole("textbox", { name: "ram_gb" }).fill("16");
    await page.getByRole("textbox", { name: "weight_kg" }).fill("1.9");
    expect(await selectInput(page, "Status").inputValue()).toBe("In stock");
    await page.getByRole("button", { name: "Create asset" }).click();
    await expect.poll(() => page.getByRole("alert").filter({ hasText: "That ID is taken" }).textContent()).toMatch(/asset 'ASSET-0001' exists/i);
    await expect.poll(() => id.getAttribute("aria-invalid")).toBe("true");

    await page.getByRole("textbox", { name: "ID series" }).fill("ASSET-");
    await page.getByRole("button", { name: "Use ASSET-0301 as the ID" }).click();
    expect(await id.inputValue()).toBe("ASSET-0301");
    await screenshots(page, "asset-create");
    await page.getByRole("button", { name: "Create asset" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/assets/ASSET-0301");
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Laptop 301" }).isVisible()).toBe(true);
    await expect.poll(() => shown(page, "Laptops", "ram_gb")).toBe("16");
    expect(await shown(page, "IT equipment", "weight_kg")).toBe("1.9");
    expect(await historyItems(page).first().textContent()).toMatch(/^Created.*admin .* through the API/);
    expect(await getAsset(t.api, "ASSET-0301")).toMatchObject({ name: "Laptop 301", category: "laptops", status: "in-stock", ram_gb: 16, weight_kg: 1.9 });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("keeps values of fields its new category lacks under Other fields, and pages a long history with Show more", async () => {
    // A laptop that became furniture keeps its laptop values; then 21 more changes.
    expect((await t.api.patch("/api/v4/assets/ASSET-0009", { category: "furniture" })).statusCode).toBe(200);
    for (let n = 1; n <= 21; n++) expect((await editor.patch("/api/v4/assets/ASSET-0009", { weight_kg: 10 + n })).statusCode).toBe(200);
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page);
    await openAsset(page, "ASSET-0009", "Laptop 9");
    expect(await shown(page, "Furniture", "weight_kg")).toBe("31");
    expect(await shown(page, "Other fields", "ram_gb")).toBe("8");
    expect(await shown(page, "Other fields", "serial")).toBe("SN100063");
    expect(await shown(page, "Furniture", "serial")).toBe("(no such label)");

    await expect.poll(() => historyItems(page).count()).toBe(20);
    expect(await section(page, "History").getByText("20 of 23 changes").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Show more" }).click();
    await expect.poll(() => historyItems(page).count()).toBe(23);
    expect(await page.getByRole("button", { name: "Show more" }).count()).toBe(0);
    expect(await historyItems(page).nth(21).textContent()).toContain("category: laptops → furniture");
    expect(await historyItems(page).first().textContent()).toMatch(/eddie .*weight_kg: 30 → 31/);

    // In the edit mode they are shown but not offered: the API takes no value of a field the category lacks.
    await page.getByRole("button", { name: "Edit" }).click();
    await page.getByRole("textbox", { name: "weight_kg" }).waitFor();
    expect(await page.getByRole("textbox", { name: "ram_gb" }).count()).toBe(0);
    expect(await page.getByText("Does not apply to this category").count()).toBe(3);
    await screenshots(page, "asset-other-fields");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a viewer sees the asset but no edit, delete or create controls", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl, PHONE);
    await logIn(page, VIEWER.username, VIEWER.password);
    await openAsset(page, "ASSET-0003", "Laptop 3");
    expect(await shown(page, "Laptops", "ram_gb")).toBe("8");
    expect(await page.getByRole("button", { name: "Edit" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Delete" }).count()).toBe(0);
    await screenshots(page, "asset-viewer");
    // `next-id` is a valid ID whose path is the series route: the page still finds the asset.
    expect((await t.api.post("/api/v4/assets", { id: "next-id", name: "Odd one" })).statusCode).toBe(201);
    await openAsset(page, "next-id", "Odd one");
    expect(await shown(page, "Attributes", "ID")).toBe("next-id");
    await page.goto("/new-asset");
    await expect.poll(() => page.getByText("Your role does not allow creating assets").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Create asset" }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
