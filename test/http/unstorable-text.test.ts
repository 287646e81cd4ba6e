import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

// Issue 15, part 5: text is kept exactly or refused, the same on both
// backends. U+0000 and lone surrogates are refused with 400 in every JSON
// body (one check at the JSON boundary), and nothing is stored.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// As JSON text: JSON.stringify would escape the same way, but this shows what goes over the wire.
const NUL = "a\\u0000b";
const LONE = "x\\ud800y";

describe.each([
  ["U+0000", NUL, /holds U\+0000 \(NUL\), which cannot be stored at \$/],
  ["a lone surrogate", LONE, /holds a lone UTF-16 surrogate \(not a character\), which cannot be stored at \$/],
])("%s in a JSON body", (_what, text, message) => {
  it.each([
    ["a site name", "/api/v4/sites", `{"id":"s1","name":"${text}"}`, "/api/v4/sites"],
    ["a status set name", "/api/v4/status-sets", `{"id":"st1","name":"${text}","statuses":[{"id":"a","name":"A"}]}`, "/api/v4/status-sets"],
    ["a status name", "/api/v4/status-sets", `{"id":"st2","name":"Set","statuses":[{"id":"a","name":"${text}"}]}`, "/api/v4/status-sets"],
    ["a category name", "/api/v4/categories", `{"id":"c1","name":"${text}"}`, "/api/v4/categories"],
    ["an API key name", "/api/v4/api-keys", `{"name":"${text}","role":"viewer"}`, "/api/v4/api-keys"],
    ["a username", "/api/v4/users", `{"username":"${text}","password":"long-enough-1","role":"viewer"}`, "/api/v4/users"],
    ["a tenant name", "/api/v4/tenants", `{"slug":"t1","name":"${text}","admin":{"username":"t1-admin","password":"long-enough-1"}}`, "/api/v4/tenants"],
    ["a key", "/api/v4/sites", `{"id":"s2","name":"ok","${text}":1}`, "/api/v4/sites"],
    ["an asset's value", "/api/v4/assets", `{"id":"a1","name":"${text}"}`, "/api/v4/assets"],
  ])("in %s is refused with 400 and stores nothing", async (_where, url, body, list) => {
    const before = (await t.api.get(list)).json();
    const res = await t.api.request({ method: "POST", url, headers: { "content-type": "application/json" }, payload: body });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toEqual({ code: 400, error: expect.stringMatching(message) });
    expect((await t.api.get(list)).json()).toEqual(before);
  });
});

describe("the Expect header", () => {
  it("other than 100-continue gets 417 in the error shape", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as { port: number };
    const { request } = await import("node:http");
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = request({ port, host: "127.0.0.1", path: "/api/v4/assets", headers: { expect: "the-impossible" } }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, type: String(res.headers["content-type"]), body }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(answer.status).toBe(417);
    expect(answer.type).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toEqual({ code: 417, error: "unsupported Expect header 'the-impossible': only 100-continue is understood" });
  });
});
