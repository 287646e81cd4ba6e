import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("applies the contract's defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: "127.0.0.1",
      DATABASE_URL: "./data/assetport.db",
      ADMIN_USERNAME: "admin",
      LOG_LEVEL: "info",
      MAX_BODY_BYTES: 64 * 1024 * 1024,
      SESSION_TTL_HOURS: 168,
      IMPORT_MAX_ENTRIES: 50_000,
    });
    expect(config.ADMIN_PASSWORD).toBeUndefined();
  });

  it("takes proxy addresses, ranges and proxy-addr's names for TRUST_PROXY", () => {
    expect(loadConfig({ TRUST_PROXY: "127.0.0.1, 10.0.0.0/8,loopback,::1,fd00::/8" }).TRUST_PROXY).toBe("127.0.0.1, 10.0.0.0/8,loopback,::1,fd00::/8");
  });

  it("converts numbers from the environment", () => {
    expect(loadConfig({ PORT: "9000", MAX_BODY_BYTES: "2048" })).toMatchObject({ PORT: 9000, MAX_BODY_BYTES: 2048 });
  });

  it.each([
    ["PORT", "eighty"],
    ["PORT", "70000"],
    ["LOG_LEVEL", "loud"],
    ["MAX_BODY_BYTES", "-1"],
    ["ADMIN_PASSWORD", "short"],
    ["SESSION_TTL_HOURS", "0"],
    ["ADMIN_USERNAME", "   "],
    ["ROLE", "both"],
    ["JSON_MAX_DEPTH", "1000000"],
    // Trusting every hop would let clients write their own address.
    ["TRUST_PROXY", "true"],
    ["TRUST_PROXY", "10.0.0.0/33"],
    ["TRUST_PROXY", "127.0.0.1,proxy.example"],
  ])("refuses %s=%s with a message naming the variable", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });
});

it("lists the allowed values of a choice", () => {
  expect(() => loadConfig({ LOG_LEVEL: "verbose" })).toThrow("LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent");
});

describe("README configuration table", () => {
  it("documents every variable of the schema", async () => {
    const { readFileSync } = await import("node:fs");
    const { ConfigSchema } = await import("../src/config.js");
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const name of Object.keys(ConfigSchema.properties)) expect(readme).toContain(`| \`${name}\` |`);
  });
});
