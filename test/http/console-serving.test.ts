import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

// The console as the service serves it (built into dist/console by the test run's setup, as by `npm run build`).
describe("the console's files", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const page = (url: string) => t.app.inject({ method: "GET", url, headers: { accept: "text/html,application/xhtml+xml" } });

  it("serves the console at / under a CSP that allows no inline script", async () => {
    const res = await page("/");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["cache-control"]).toBe("no-cache");
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    // Every script of the page is a file of this origin.
    const scripts = [...res.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(body!.trim()).toBe("");
    }
  });

  it("answers a page of the console's own router with the console, and keeps the API's JSON 404s", async () => {
    const index = (await page("/")).body;
    expect((await page("/imports/7")).body).toBe(index);
    const api = await page("/api/v4/no-such-thing");
    expect(api.statusCode).toBe(404);
    expect(api.json()).toEqual({ code: 404, error: "no route GET /api/v4/no-such-thing" });
    // Not a page load (a script, an image): a 404, never the page in its place.
    const missing = await t.app.inject({ method: "GET", url: "/assets/missing.js", headers: { accept: "*/*" } });
    expect(missing.statusCode).toBe(404);
  });

  it("caches the hashed assets for good", async () => {
    const script = /src="(\/assets\/[^"]+\.js)"/.exec((await page("/")).body)![1]!;
    const res = await t.app.inject({ method: "GET", url: script });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/javascript/);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("answers API requests with no-store, as before", async () => {
    const res = await t.api.get("/api/v4/users/me");
    expect(res.headers["cache-control"]).toBe("no-store");
  });
});
