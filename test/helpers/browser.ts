import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { ADMIN, startTestApp, type TestApp } from "./app.js";

/** Debian's Chromium (`apt-get install chromium`), driven by playwright-core. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const ARTIFACTS = join(process.cwd(), "test-artifacts", "console");

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** The real service, listening on a free port, with the console it serves at `/`. */
export async function startConsoleApp(env: Record<string, string> = {}): Promise<TestApp & { baseUrl: string }> {
  const t = await startTestApp(env);
  const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
  return { ...t, baseUrl: address };
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** What went wrong in the page: uncaught errors, console errors (a CSP violation is one). */
  problems: string[];
}

/** A fresh context (no storage shared with other tests) and one page in it. */
export async function newPage(browser: Browser, baseUrl: string, viewport = DESKTOP): Promise<ConsolePage> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // A failed request is reported by the page's own alert; a CSP violation or a React error is not.
    if (message.type() === "error" && !/Failed to load resource/.test(message.text())) problems.push(`console error: ${message.text()}`);
  });
  return { context, page, problems };
}

/** Logs in through the login screen and waits for the shell. */
export async function logIn(page: Page, username = ADMIN.username, password = ADMIN.password): Promise<void> {
  await page.goto("/");
  await page.getByLabel(/^Username/).fill(username);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect.poll(() => page.getByRole("button", { name: "Log out" }).isVisible()).toBe(true);
}

/** Saves a screenshot as test-artifacts/console/<name>-<width>x<height>.png (to look at, not to compare). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const size = page.viewportSize() ?? DESKTOP;
  const path = join(ARTIFACTS, `${name}-${size.width}x${size.height}.png`);
  await page.screenshot({ path, fullPage: true, animations: "disabled" });
  return path;
}

/** Screenshots at both sizes the console is checked at: the desktop and a phone. */
export async function screenshots(page: Page, name: string): Promise<void> {
  const before = page.viewportSize() ?? DESKTOP;
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    await screenshot(page, name);
  }
  await page.setViewportSize(before);
}

// Code run inside the page is given as text: the test project's types have no DOM.

/** Whether the element has the keyboard focus. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === element.ownerDocument.activeElement);
}

/** Presses Tab until the element has the focus (at most `most` times); false if it never got it. */
export async function tabTo(page: Page, locator: Locator, most = 20): Promise<boolean> {
  for (let i = 0; i < most; i++) {
    if (await isFocused(locator)) return true;
    await page.keyboard.press("Tab");
  }
  return isFocused(locator);
}

/** The console's session token as the page keeps it. */
export function storedToken(page: Page): Promise<string | null> {
  return page.evaluate('sessionStorage.getItem("assetport.token")') as Promise<string | null>;
}

/** The text of every visible Mantine badge whose word does not fit (shown as "WARNI…"). */
export function badgesCut(page: Page): Promise<string[]> {
  return page.evaluate(`[...document.querySelectorAll(".mantine-Badge-label")]
    .filter((label) => label.offsetParent !== null && label.scrollWidth > label.clientWidth + 0.5)
    .map((label) => label.textContent)`) as Promise<string[]>;
}
