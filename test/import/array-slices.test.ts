import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { objectBounds, parseSlice } from "../../src/import/array-slices.js";

describe("objectBounds / parseSlice", () => {
  it("slices any JSON array of objects into exactly its elements", () => {
    const entry = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 30 }), fc.nat(), fc.nat(), fc.boolean(), (entries, a, b, pretty) => {
        const text = pretty ? JSON.stringify(entries, null, 2) : JSON.stringify(entries);
        const bounds = objectBounds(text);
        expect(bounds.starts).toHaveLength(entries.length);
        expect(bounds.ends).toHaveLength(entries.length);
        const from = a % entries.length;
        const to = from + (b % (entries.length - from + 1));
        expect(parseSlice(text, bounds, from, to)).toEqual(JSON.parse(text).slice(from, to));
      }),
      { numRuns: 300 },
    );
  });

  it("is not fooled by braces, brackets and escaped quotes inside strings", () => {
    const entries = [{ a: '}{"][', b: "\\", c: '\\"}' }, { "k}": ["{", { x: "]" }] }];
    const text = JSON.stringify(entries);
    expect(parseSlice(text, objectBounds(text), 0, 2)).toEqual(entries);
    expect(parseSlice(text, objectBounds(text), 1, 2)).toEqual([entries[1]]);
  });
});
