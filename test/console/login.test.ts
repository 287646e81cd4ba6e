import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFocused, launchBrowser, logIn, newPage, PHONE, screenshots, startConsoleApp, storedToken, tabTo } from "../helpers/browser.js";
import type { TestApp } from "../helpers/app.js";

describe("console: login, shell and roles", () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startConsoleApp(), launchBrowser()]);
    const viewer = await t.api.post("/api/v4/users", { username: "vera", password: "viewer-password-1", full_name: "Vera Viewer", role: "viewer" });
    expect(viewer.statusCode).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("logs in, shows the user and role, keeps the token out of cookies, and logs out", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await page.goto("/");
    await screenshots(page, "login");
    await page.getByLabel(/^Username/).fill("admin");
    await page.getByLabel(/^Password/).fill("wrong-password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/invalid|password/i);

    // A locked-out username: the wait is said once.
    for (let i = 0; i < 5; i++) await fetch(`${t.baseUrl}/api/v4/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "locked", password: "wrong-password" }) });
    await page.getByLabel(/^Username/).fill("locked");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/try again in \d+/i);
    expect((await page.getByRole("alert").textContent())!.match(/try again in/gi)).toHaveLength(1);

    await logIn(page);
    // The dashboard is the landing page; the imports are one click away.
    await expect.poll(() => page.getByRole("heading", { name: "Dashboard" }).isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe("/");
    await expect.poll(() => page.getByLabel("Role: admin").isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Import", exact: true }).isVisible()).toBe(true);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Imports" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Imports" }).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Import", exact: true }).isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe("/imports");
    expect(await context.cookies()).toEqual([]);
    expect(await storedToken(page)).toMatch(/.+/);
    await screenshots(page, "imports-empty");

    // A reload keeps the session (sessionStorage); a deep link loads the console (the service's page fallback).
    await page.goto("/imports/new");
    await expect.poll(() => page.getByRole("heading", { name: "Import assets" }).isVisible()).toBe(true);

    await page.getByRole("button", { name: "Log out" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Log in" }).isVisible()).toBe(true);
    expect(await storedToken(page)).toBeNull();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a viewer sees the imports but no import button", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl, PHONE);
    await logIn(page, "vera", "viewer-password-1");
    await expect.poll(() => page.getByRole("heading", { name: "Dashboard" }).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Import", exact: true }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Admin" }).count()).toBe(0);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Imports" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Imports" }).isVisible()).toBe(true);
    await expect.poll(() => page.getByLabel("Role: viewer").isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Import", exact: true }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a session that ends sends the user back to the login with a message", async () => {
    const { context, page } = await newPage(browser, t.baseUrl);
    await logIn(page);
    // The dashboard's reads done first: one still under way when the token is revoked would end
    // the session in this page, and the reload below would then find no token (and no message) to start from.
    await page.waitForLoadState("networkidle");
    const token = await storedToken(page);
    const logout = await fetch(`${t.baseUrl}/api/v4/auth/token`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    expect(logout.status).toBeLessThan(300);
    await page.getByRole("button", { name: "Log out" }).waitFor();
    await page.goto("/imports");
    await expect.poll(() => page.getByRole("button", { name: "Log in" }).isVisible()).toBe(true);
    expect(await page.getByRole("status").textContent()).toMatch(/.+/);
    await context.close();
  });

  it("works with the keyboard alone: log in, open the wizard, choose the paste box, reach the mapping", async () => {
    const { context, page, problems } = await newPage(browser, t.baseUrl);
    await page.goto("/");
    // The username field has the focus on arrival.
    const username = page.getByLabel(/^Username/);
    await expect.poll(() => isFocused(username)).toBe(true);
    await page.keyboard.type("admin");
    await page.keyboard.press("Tab");
    await page.keyboard.type("admin-password-1");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    // Arriving at a page puts the focus on its heading.
    await expect.poll(() => isFocused(page.getByRole("heading", { name: "Dashboard" }))).toBe(true);
    const importLink = page.getByRole("link", { name: "Import", exact: true });
    expect(await tabTo(page, importLink)).toBe(true);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Import assets" }).waitFor();
    await expect.poll(() => isFocused(page.getByRole("heading", { name: "Import assets" }))).toBe(true);
    await page.getByLabel("Or paste CSV or JSON").focus();
    await page.keyboard.type("id,name\nk-1,Keyboard\n");
    expect(await tabTo(page, page.getByRole("button", { name: "Use the pasted text" }))).toBe(true);
    await page.keyboard.press("Enter");
    await page.getByText("pasted CSV").waitFor();
    const nextButton = page.getByRole("button", { name: "Next", exact: true });
    await nextButton.waitFor();
    await expect.poll(() => nextButton.isEnabled()).toBe(true);
    expect(await tabTo(page, nextButton)).toBe(true);
    await screenshots(page, "keyboard-focus");
    await page.keyboard.press("Enter");
    await page.getByRole("table", { name: "Columns" }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
