/** Deterministic benchmark data: the same entries on every run and machine. */

export const FIELDS = [
  { name: "price", type: "Decimal", precision: 2 },
  { name: "quantity", type: "Integer" },
  { name: "weight_kg", type: "Number" },
  { name: "in_service", type: "Checkbox" },
  { name: "purchased", type: "Date" },
  { name: "colour", type: "Select", options: ["Red", "Green", "Blue", "Black", "White"] },
] as const;

// mulberry32: a tiny seeded PRNG, so that the dataset is reproducible.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` entries; `round` 0 creates, later rounds change every value. About
 * 5% carry a warning (a quantity that is not a number) and 1% fail (an
 * invalid ID).
 */
export function entries(count: number, round: number): Array<Record<string, unknown>> {
  const next = random(1234 + round);
  const colours = FIELDS[5].options;
  return Array.from({ length: count }, (_, i) => {
    const day = 1 + Math.floor(next() * 28);
    return {
      id: i % 100 === 57 ? `bad id ${i}` : `asset-${String(i).padStart(6, "0")}`,
      name: `Asset ${i} (round ${round})`,
      price: Math.round(next() * 100_000) / 100,
      quantity: i % 20 === 3 ? "n/a" : Math.floor(next() * 1000),
      weight_kg: Math.round(next() * 1e6) / 1e3,
      in_service: next() < 0.5,
      purchased: `20${10 + Math.floor(next() * 15)}-0${1 + Math.floor(next() * 9)}-${String(day).padStart(2, "0")}`,
      colour: colours[Math.floor(next() * colours.length)],
    };
  });
}
