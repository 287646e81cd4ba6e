import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IdIndex } from "../../src/import/id-index.js";

const id = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,20}[A-Za-z0-9])?$/);

describe("IdIndex", () => {
  it("answers as a Map would, through growth and rehashing", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(id, fc.integer({ min: 1, max: 2 ** 31 - 1 })), { maxLength: 3000 }), fc.array(id, { maxLength: 50 }), (writes, probes) => {
        const index = new IdIndex();
        const map = new Map<string, number>();
        for (const [key, value] of writes) {
          index.set(key, value);
          map.set(key, value);
        }
        expect(index.size).toBe(map.size);
        for (const key of [...map.keys(), ...probes]) expect(index.get(key)).toBe(map.get(key));
      }),
      { numRuns: 60 },
    );
  });

  it("holds a million IDs", () => {
    const index = new IdIndex();
    for (let i = 0; i < 1_000_000; i++) index.set(`asset-${i}`, i + 1);
    expect(index.get("asset-0")).toBe(1);
    expect(index.get("asset-999999")).toBe(1_000_000);
    expect(index.get("asset-1000000")).toBeUndefined();
  });
});
