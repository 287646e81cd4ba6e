import { createWriteStream, statSync } from "node:fs";
import { once } from "node:events";

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

/** The catalog of the categorised runs: a status set, a three-level category tree whose root names every field, five sites. */
export const CATALOG = {
  statusSet: { id: "lifecycle", name: "Lifecycle", statuses: [{ id: "ordered", name: "Ordered" }, { id: "in-use", name: "In use" }, { id: "retired", name: "Retired" }] },
  categories: [
    { id: "equipment", name: "Equipment", parent_id: null, status_set_id: "lifecycle", fields: FIELDS.map((f) => f.name) },
    { id: "pumps", name: "Pumps", parent_id: "equipment", status_set_id: null, fields: [] },
    { id: "pumps-centrifugal", name: "Centrifugal pumps", parent_id: "pumps", status_set_id: null, fields: [] },
    { id: "valves", name: "Valves", parent_id: "equipment", status_set_id: null, fields: [] },
  ],
  sites: ["plant-1", "plant-2", "plant-3", "depot-1", "depot-2"].map((id) => ({ id, name: `Site ${id}` })),
};

/**
 * The same entries with the asset model in use: a category (by name for
 * half of them), a status (by name), a site, tags and a description.
 */
export function categorisedEntries(count: number, round: number): Array<Record<string, unknown>> {
  const { categories, statusSet, sites } = CATALOG;
  return entries(count, round).map((entry, i) => {
    const category = categories[(i + round) % categories.length]!;
    return {
      ...entry,
      category: i % 2 === 0 ? category.id : category.name,
      status: statusSet.statuses[(i + round) % 3]!.name,
      site_id: sites[i % sites.length]!.id,
      tags: round === 0 ? "critical, outdoor" : ["outdoor", `batch-${i % 10}`],
      description: `Unit ${i}, round ${round}: serviced yearly`,
    };
  });
}

/** Writes `rows` entries of round 0 as CSV or NDJSON, 50,000 at a time, with distinct IDs; returns the file's size. */
export async function writeDatasetFile(path: string, format: "csv" | "ndjson", rows: number): Promise<number> {
  const chunk = 50_000;
  const out = createWriteStream(path);
  const columns = ["id", "name", ...FIELDS.map((f) => f.name)];
  if (format === "csv") out.write(columns.join(",") + "\n");
  for (let start = 0; start < rows; start += chunk) {
    // Distinct IDs per chunk: the dataset's i restarts at 0 in each.
    const batch = entries(Math.min(chunk, rows - start), 0).map((row, i): Record<string, unknown> => ({ ...row, id: String(row.id).replace(/\d+$/, String(start + i).padStart(7, "0")) }));
    const text =
      format === "csv"
        ? batch.map((row) => columns.map((c) => csvCell(row[c])).join(",")).join("\n") + "\n"
        : batch.map((row) => JSON.stringify(row)).join("\n") + "\n";
    if (!out.write(text)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return statSync(path).size;
}

function csvCell(value: unknown): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
