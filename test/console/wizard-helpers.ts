import type { Page } from "playwright-core";
import { expect } from "vitest";
import { login, type Client, type TestApp } from "../helpers/app.js";

// Steps of the import wizard as a person takes them, for the console's tests.

export { EXAMPLE1_FIELDS, EXAMPLE1_HEADER, EXAMPLE1_ENTRIES as EXAMPLE1_ROWS, example1Csv } from "../fixtures/example-1.js";

let tenants = 0;

/** A tenant of its own (tenants share nothing), with its admin logged in through the API and the given fields. */
export async function tenantWithFields(t: TestApp, fields: Array<{ name: string; type: string }>): Promise<{ api: Client; username: string; password: string }> {
  const slug = `t${++tenants}-${Date.now().toString(36)}`;
  const username = `${slug}-admin`;
  const password = "tenant-password-1";
  const created = await t.api.post("/api/v4/tenants", { slug, name: slug, admin: { username, password, full_name: `Admin of ${slug}` } });
  if (created.statusCode !== 201) throw new Error(`tenant: ${created.statusCode} ${created.body}`);
  const api = await login(t.app, username, password);
  for (const field of fields) {
    const res = await api.post("/api/v4/asset-fields", field);
    if (res.statusCode !== 201) throw new Error(`field ${field.name}: ${res.statusCode} ${res.body}`);
  }
  return { api, username, password };
}

export async function assetCount(api: Client): Promise<number> {
  const res = await api.get("/api/v4/assets?limit=1");
  if (res.statusCode !== 200) throw new Error(`assets: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return body.total_count ?? body.collection.length;
}

/** Opens the wizard from the list and hands it a file, as the file picker would. */
export async function chooseFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  await page.getByRole("link", { name: "Import", exact: true }).click();
  await page.getByRole("heading", { name: "Import assets" }).waitFor();
  await page.getByLabel("File to import").setInputFiles(file);
  await page.getByText(file.name).waitFor();
}

/** Clicks Next (or Check) once it is enabled. */
export async function next(page: Page, name = "Next"): Promise<void> {
  const button = page.getByRole("button", { name, exact: true });
  await expect.poll(() => button.isEnabled()).toBe(true);
  await button.click();
}

/** The value a column's Select shows. */
export function mappingOf(page: Page, column: string): Promise<string> {
  return page.getByRole("combobox", { name: `Import column ${column} as`, exact: true }).inputValue();
}

/** Chooses a column's target with the keyboard: focus, type to filter, Enter. */
export async function mapColumn(page: Page, column: string, optionLabel: string): Promise<void> {
  const select = page.getByRole("combobox", { name: `Import column ${column} as`, exact: true });
  await select.click();
  await page.getByRole("option", { name: optionLabel, exact: true }).click();
  await expect.poll(() => select.inputValue()).toBe(optionLabel);
}

export async function count(page: Page, key: "created" | "updated" | "unchanged" | "warnings" | "failed"): Promise<string> {
  return (await page.getByTestId(`count-${key}`).textContent()) ?? "";
}

/** Waits for the counts of a finished check or import. */
export async function waitForCounts(page: Page, failed: string, warnings: string): Promise<void> {
  await page.getByTestId("count-failed").waitFor({ timeout: 30_000 });
  await expect.poll(() => count(page, "failed"), { timeout: 30_000 }).toBe(failed);
  expect(await count(page, "warnings")).toBe(warnings);
}

/** Picks a choice of a segmented control with the keyboard (its radio inputs are visually hidden). */
export async function pickSegment(page: Page, name: string): Promise<void> {
  const radio = page.getByRole("radio", { name, exact: true });
  await radio.focus();
  await page.keyboard.press("Space");
  await expect.poll(() => radio.isChecked()).toBe(true);
}

/** Chooses a column's target with the keyboard alone: focus, type to filter the choices, Enter. */
export async function mapColumnByKeyboard(page: Page, column: string, search: string, optionLabel: string): Promise<void> {
  const select = page.getByRole("combobox", { name: `Import column ${column} as`, exact: true });
  await select.focus();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(search);
  // Every key typed is in the search, the first one too.
  await expect.poll(() => select.inputValue()).toBe(search);
  // Enter takes the highlighted option; the list highlights the first match after it renders, and may
  // render again as the search settles. So: wait for the highlight, press Enter, and again if the list
  // is still open (the choice was not taken).
  const highlighted = page.locator('[role="option"][data-combobox-selected="true"]').filter({ hasText: optionLabel });
  for (let attempt = 0; attempt < 3 && (await select.getAttribute("aria-expanded")) !== "false"; attempt++) {
    await highlighted.waitFor();
    await page.keyboard.press("Enter");
    await expect.poll(() => select.getAttribute("aria-expanded"), { timeout: 2_000 }).toBe("false").catch(() => undefined);
  }
  // Closed, the input shows the chosen option's label (not the search typed).
  await expect.poll(() => select.getAttribute("aria-expanded")).toBe("false");
  await expect.poll(() => select.inputValue()).toBe(optionLabel);
}
