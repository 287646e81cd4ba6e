import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport, type TestApp } from "../helpers/app.js";
import { launchBrowser, logIn, newPage, PHONE, screenshots, startConsoleApp } from "../helpers/browser.js";
import { seedInventory } from "./inventory.js";

/** Picks an option of a Mantine Select (a combobox with a listbox). */
async function choose(page: Page, scope: ReturnType<Page["getByRole"]> | Page, label: string, option: string): Promise<void> {
  await scope.getByRole("combobox", { name: label, exact: true }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
  await expect.poll(() => scope.getByRole("combobox", { name: label, exact: true }).inputValue()).toBe(option);
}

async function openSection(page: Page, link: string, heading: string): Promise<void> {
  await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: link, exact: true }).click();
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
}

describe("console: running the registry", () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startConsoleApp(), launchBrowser()]);
    await seedInventory(t.api);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("creates a Select field, a status set reordered and a category using both, and an import lands in them", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("heading", { name: "Custom fields", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/admin/fields");
    await expect.poll(() => page.getByRole("table", { name: "Custom fields" }).getByRole("cell", { name: "condition", exact: true }).isVisible()).toBe(true);

    // A Select field with three options.
    await page.getByRole("button", { name: "New field" }).click();
    let dialog = page.getByRole("dialog", { name: "New field" });
    await dialog.getByRole("textbox", { name: "Name" }).fill("grade");
    await choose(page, dialog, "Type", "Select (one option)");
    const options = dialog.getByLabel("Options", { exact: true });
    for (const option of ["A", "B", "C"]) {
      await options.fill(option);
      await options.press("Enter");
      await expect.poll(() => options.inputValue()).toBe("");
    }
    await dialog.getByRole("switch", { name: /Indexed/ }).check();
    await screenshots(page, "admin-field-form");
    await dialog.getByRole("button", { name: "Create field" }).click();
    await dialog.waitFor({ state: "hidden" });
    const field = (await t.api.get("/api/v4/asset-fields/grade")).json();
    expect(field).toMatchObject({ type: "Select", options: ["A", "B", "C"], indexed: true });
    await expect.poll(() => page.getByRole("row", { name: /grade/ }).isVisible()).toBe(true);
    await screenshots(page, "admin-fields");

    // The switch in the list builds an index on a field that had none.
    // By keyboard: the switch's track covers its input for the mouse.
    await page.getByRole("switch", { name: "Index weight_kg" }).focus();
    await page.keyboard.press("Space");
    await expect.poll(async () => (await t.api.get("/api/v4/asset-fields/weight_kg")).json().indexed).toBe(true);
    await expect.poll(() => page.getByRole("switch", { name: "Index weight_kg" }).isChecked()).toBe(true);
    await expect.poll(() => page.getByRole("switch", { name: "Index weight_kg" }).isDisabled()).toBe(false);

    // A duplicate name is refused with the API's sentence.
    await page.getByRole("button", { name: "New field" }).click();
    dialog = page.getByRole("dialog", { name: "New field" });
    await dialog.getByRole("textbox", { name: "Name" }).fill("grade");
    await dialog.getByRole("button", { name: "Create field" }).click();
    await expect.poll(() => dialog.getByRole("alert").textContent()).toMatch(/a field named 'grade' exists/i);
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // A status set of three statuses, the last moved to the top.
    await openSection(page, "Status sets", "Status sets");
    await page.getByRole("button", { name: "New status set" }).click();
    dialog = page.getByRole("dialog", { name: "New status set" });
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill("Repair flow");
    expect(await dialog.getByRole("textbox", { name: "ID", exact: true }).inputValue()).toBe("repair-flow");
    const names = ["Received", "Repairing", "Returned"];
    for (const [index, name] of names.entries()) {
      if (index > 0) await dialog.getByRole("button", { name: "Add status" }).click();
      await dialog.getByRole("textbox", { name: `Status ${index + 1} name` }).fill(name);
    }
    await dialog.getByRole("button", { name: "Move Returned up" }).click();
    await dialog.getByRole("button", { name: "Move Returned up" }).click();
    await expect.poll(() => dialog.getByRole("textbox", { name: "Status 1 name" }).inputValue()).toBe("Returned");
    await screenshots(page, "admin-status-set-form");
    await dialog.getByRole("button", { name: "Create status set" }).click();
    await dialog.waitFor({ state: "hidden" });
    const set = (await t.api.get("/api/v4/status-sets/repair-flow")).json();
    expect(set.statuses).toEqual([
      { id: "returned", name: "Returned" },
      { id: "received", name: "Received" },
      { id: "repairing", name: "Repairing" },
    ]);
    await expect.poll(() => page.getByRole("list", { name: "Statuses of Repair flow" }).textContent()).toBe("1. Returned2. Received3. Repairing");
    await screenshots(page, "admin-status-sets");

    // Removing a status that the inventory's assets hold is refused, in words.
    await page.getByRole("button", { name: "Edit Lifecycle" }).click();
    dialog = page.getByRole("dialog", { name: /Status set “Lifecycle”/ });
    await dialog.getByRole("button", { name: "Remove In use" }).click();
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => dialog.getByRole("alert").textContent()).toMatch(/current state.*'in-use' is still the status of assets/i);
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // A category under IT equipment with the field and the set.
    await openSection(page, "Categories", "Categories");
    await expect.poll(() => page.getByRole("list", { name: "Category tree" }).getByRole("listitem", { name: "Laptops" }).isVisible()).toBe(true);
    await page.getByRole("button", { name: "Add a subcategory to IT equipment" }).click();
    dialog = page.getByRole("dialog", { name: "New category" });
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill("Repairs");
    expect(await dialog.getByRole("combobox", { name: "Parent" }).inputValue()).toBe("IT equipment");
    await choose(page, dialog, "Status set", "Repair flow");
    await dialog.getByLabel("Fields that apply", { exact: true }).click();
    await page.getByRole("option", { name: "grade", exact: true }).click();
    await page.keyboard.press("Escape");
    await page.getByRole("listbox").waitFor({ state: "detached" });
    await screenshots(page, "admin-category-form");
    await dialog.getByRole("button", { name: "Create category" }).click();
    await dialog.waitFor({ state: "hidden" });
    const category = (await t.api.get("/api/v4/categories/repairs")).json();
    expect(category).toMatchObject({ parent_id: "it", status_set_id: "repair-flow", fields: ["grade"] });
    await expect.poll(() => page.getByRole("listitem", { name: "Repairs" }).textContent()).toMatch(/Statuses: Repair flow.*grade/);
    await screenshots(page, "admin-categories");

    // Deleting a category with subcategories is explained.
    await page.getByRole("button", { name: "Delete IT equipment" }).click();
    dialog = page.getByRole("dialog", { name: /Delete the category/ });
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => dialog.getByRole("alert").textContent()).toMatch(/has subcategories: move or delete them first/);
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // An import into them: the category, a status of the new set and the field's value.
    const status = await runImport(t.api, [
      { id: "REPAIR-1", name: "Broken laptop", category: "repairs", status: "repairing", grade: "b" },
      { id: "REPAIR-2", name: "Cracked screen", category: "repairs", status: "returned", grade: "C" },
    ]);
    expect(status.stats).toMatchObject({ success_count: 2, failed_count: 0, warning_count: 0 });
    expect((await t.api.get("/api/v4/assets/REPAIR-1")).json()).toMatchObject({ category: "repairs", status: "repairing", grade: "B" });
    expect((await t.api.get("/api/v4/assets/REPAIR-2")).json()).toMatchObject({ category: "repairs", status: "returned", grade: "C" });

    // Now that an asset holds "C", removing that option is explained.
    await openSection(page, "Fields", "Custom fields");
    await page.getByRole("button", { name: "Edit grade" }).click();
    dialog = page.getByRole("dialog", { name: /Field “grade”/ });
    // Backspace in the empty input removes the last option, C.
    await dialog.getByLabel("Options", { exact: true }).press("Backspace");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => dialog.getByRole("alert").textContent()).toMatch(/options still held by assets cannot be removed: C/i);
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // Deleting the field says that the values go with it.
    await page.getByRole("button", { name: "Delete grade" }).click();
    dialog = page.getByRole("dialog", { name: /Delete the field “grade”/ });
    expect(await dialog.textContent()).toMatch(/value goes with it from every asset/);
    await screenshots(page, "admin-field-delete");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await t.api.get("/api/v4/assets/REPAIR-1")).json().grade).toBeUndefined();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("creates a site, and deleting a site that assets are at is explained", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await logIn(page);
    await page.goto("/admin/sites");
    await page.getByRole("heading", { name: "Sites", level: 1 }).waitFor();
    await page.getByRole("button", { name: "New site" }).click();
    let dialog = page.getByRole("dialog", { name: "New site" });
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill("South yard");
    await dialog.getByRole("textbox", { name: "Description" }).fill("Behind the loading bay");
    await dialog.getByRole("button", { name: "Create site" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await t.api.get("/api/v4/sites/south-yard")).json()).toMatchObject({ name: "South yard", description: "Behind the loading bay" });
    await expect.poll(() => page.getByRole("row", { name: /South yard/ }).isVisible()).toBe(true);
    await screenshots(page, "admin-sites");

    await page.getByRole("button", { name: "Delete Headquarters" }).click();
    dialog = page.getByRole("dialog", { name: /Delete the site “Headquarters”/ });
    await dialog.getByRole("button", { name: "Delete" }).click();
    const alert = dialog.getByRole("alert");
    await expect.poll(() => alert.textContent()).toMatch(/Not possible in the registry's current state.*site 'hq' has assets.*move them to another site first/i);
    await screenshots(page, "admin-site-in-use");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect((await t.api.get("/api/v4/sites/hq")).statusCode).toBe(200);

    // An unused site goes.
    await page.getByRole("button", { name: "Delete South yard" }).click();
    dialog = page.getByRole("dialog", { name: /Delete the site “South yard”/ });
    await dialog.getByRole("button", { name: "Delete" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => page.getByRole("row", { name: /South yard/ }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("creates a viewer, who sees no Admin link and an explanation at /admin/fields", async () => {
    const admin = await newPage(browser, t.baseUrl);
    await logIn(admin.page);
    await admin.page.goto("/admin/users");
    await admin.page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    await admin.page.getByRole("button", { name: "New user" }).click();
    const dialog = admin.page.getByRole("dialog", { name: "New user" });
    await dialog.getByRole("textbox", { name: "Username" }).fill("vic");
    await dialog.getByRole("textbox", { name: "Full name" }).fill("Vic Viewer");
    expect(await dialog.getByRole("combobox", { name: "Role" }).inputValue()).toBe("Viewer");
    await dialog.getByRole("textbox", { name: "Password" }).fill("viewer-password-1");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => admin.page.getByRole("row", { name: /vic/ }).isVisible()).toBe(true);
    await screenshots(admin.page, "admin-users");

    // The last admin cannot be demoted: the 409 is explained.
    await admin.page.getByRole("combobox", { name: "Role of admin", exact: true }).click();
    await admin.page.getByRole("option", { name: "Viewer", exact: true }).click();
    await expect.poll(() => admin.page.getByRole("alert").textContent()).toMatch(/without an enabled admin/);
    expect(await admin.page.getByRole("combobox", { name: "Role of admin", exact: true }).inputValue()).toBe("Admin");
    expect((await t.api.get("/api/v4/users/me")).json().role).toBe("admin");

    const viewer = await newPage(browser, t.baseUrl);
    await logIn(viewer.page, "vic", "viewer-password-1");
    await expect.poll(() => viewer.page.getByLabel("Role: viewer").isVisible()).toBe(true);
    expect(await viewer.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).count()).toBe(0);
    await viewer.page.goto("/admin/fields");
    await expect.poll(() => viewer.page.getByRole("alert").textContent()).toMatch(/Only administrators can run the registry.*Your role is viewer/);
    expect(await viewer.page.getByRole("button", { name: "New field" }).count()).toBe(0);
    await screenshots(viewer.page, "admin-viewer");

    // Disabled, the viewer can no longer log in.
    await admin.page.getByRole("button", { name: "Disable vic" }).click();
    await expect.poll(() => admin.page.getByRole("row", { name: /vic/ }).textContent()).toMatch(/Disabled/);
    const login = await fetch(`${t.baseUrl}/api/v4/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "vic", password: "viewer-password-1" }) });
    expect(login.status).not.toBe(200);
    await login.body?.cancel();
    expect([...admin.problems, ...viewer.problems]).toEqual([]);
    await admin.context.close();
    await viewer.context.close();
  });

  it("creates an API key, shows its secret once with a copy button, the key works and its last use shows; the audit log lists it all", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await logIn(page);
    await page.goto("/admin/api-keys");
    await page.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
    await page.getByRole("button", { name: "New API key" }).click();
    let dialog = page.getByRole("dialog", { name: "New API key" });
    await dialog.getByRole("textbox", { name: "Name" }).fill("nightly sync");
    await dialog.getByRole("button", { name: "Create key" }).click();
    dialog = page.getByRole("dialog", { name: /API key “nightly sync” created/ });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/will not be shown again/);
    const secret = (await dialog.getByLabel("API key secret").textContent())!.trim();
    expect(secret.length).toBeGreaterThan(20);
    await dialog.getByRole("button", { name: "Copy key" }).click();
    await expect.poll(() => dialog.getByRole("button", { name: "Copied" }).isVisible()).toBe(true);
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(secret);
    await screenshots(page, "admin-api-key-secret");
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "hidden" });

    const row = page.getByRole("row", { name: "nightly sync" });
    await expect.poll(() => row.locator('[data-column="last-used"]').textContent()).toBe("Never");
    expect(await row.textContent()).toContain(secret.slice(0, 6));
    // Each body read to its end: an unread one keeps its connection busy, which the server's close then waits for.
    const response = await fetch(`${t.baseUrl}/api/v4/assets?limit=1`, { headers: { authorization: `Bearer ${secret}` } });
    expect([response.status, ((await response.json()) as { count: number }).count]).toEqual([200, 1]);
    await page.reload();
    await expect.poll(() => row.locator('[data-column="last-used"]').textContent()).not.toBe("Never");
    await screenshots(page, "admin-api-keys");

    // The audit log: the user and key made in this file, and the filter by event.
    await openSection(page, "Audit log", "Audit log");
    const events = page.getByRole("table", { name: "Audit events" });
    await expect.poll(() => events.textContent()).toMatch(/API key created.*nightly sync/);
    expect(await events.textContent()).toMatch(/User created.*vic/);
    expect(await events.textContent()).toMatch(/User changed.*vic/);
    await choose(page, page, "Event", "User created");
    await expect.poll(async () => (await events.getByRole("row").allTextContents()).slice(1).every((text) => text.includes("User created"))).toBe(true);
    await screenshots(page, "admin-audit");

    // Deleting the key stops it.
    await openSection(page, "API keys", "API keys");
    await page.getByRole("button", { name: "Delete nightly sync" }).click();
    dialog = page.getByRole("dialog", { name: /Delete the API key/ });
    await dialog.getByRole("button", { name: "Delete" }).click();
    await dialog.waitFor({ state: "hidden" });
    const refused = await fetch(`${t.baseUrl}/api/v4/assets?limit=1`, { headers: { authorization: `Bearer ${secret}` } });
    expect([refused.status, ((await refused.json()) as { code: number }).code]).toEqual([401, 401]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows tenants to a system administrator and every section fits a phone", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl, PHONE);
    await logIn(page);
    await page.goto("/admin/tenants");
    await page.getByRole("heading", { name: "Tenants", level: 1 }).waitFor();
    await page.getByRole("button", { name: "New tenant" }).click();
    const dialog = page.getByRole("dialog", { name: "New tenant" });
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill("Second Site Ltd");
    expect(await dialog.getByRole("textbox", { name: "Slug" }).inputValue()).toBe("second-site-ltd");
    await dialog.getByRole("textbox", { name: "Username" }).fill("second-admin");
    await dialog.getByRole("textbox", { name: "Password" }).fill("second-password-1");
    await dialog.getByRole("button", { name: "Create tenant" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => page.getByRole("row", { name: /Second Site Ltd/ }).isVisible()).toBe(true);
    await screenshots(page, "admin-tenants");

    // The new tenant's admin is no system administrator: no Tenants link.
    const other = await newPage(browser, t.baseUrl);
    await logIn(other.page, "second-admin", "second-password-1");
    await other.page.goto("/admin/fields");
    await other.page.getByRole("heading", { name: "Custom fields", level: 1 }).waitFor();
    expect(await other.page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Tenants" }).count()).toBe(0);
    expect(await other.page.getByText("No custom fields yet.").isVisible()).toBe(true);
    await other.context.close();

    // The phone: no section is wider than the screen (wide tables scroll inside themselves).
    for (const section of ["fields", "categories", "status-sets", "sites", "users", "api-keys", "audit"]) {
      await page.goto(`/admin/${section}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await expect.poll(() => page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(PHONE.width);
    }
    expect([...problems, ...other.problems]).toEqual([]);
    await context.close();
  });
});
