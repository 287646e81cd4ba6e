import { expect } from "vitest";
import { createField, runImport, type Client } from "../helpers/app.js";

/**
 * The registry the console's browsing tests look at: typed fields, a category
 * tree with a status set, two sites and 300 assets imported from a JSON array
 * by the admin, as a nightly load would leave them. Deterministic: asset i has
 * the same values in every run, so a test can name what it expects to find.
 */
export const INVENTORY_SIZE = 300;

export const CONDITIONS = ["new", "good", "worn", "broken"];
export const SITES = [
  { id: "hq", name: "Headquarters" },
  { id: "depot", name: "North depot" },
];
export const STATUSES = [
  { id: "in-stock", name: "In stock" },
  { id: "in-use", name: "In use" },
  { id: "retired", name: "Retired" },
];
const COMMON_FIELDS = ["condition", "weight_kg", "purchased", "insured"];
/** Leaves of the tree: `it` holds laptops and monitors, `furniture` stands alone. */
export const CATEGORIES = [
  { id: "it", name: "IT equipment", parent_id: null, status_set_id: "lifecycle", fields: [...COMMON_FIELDS, "serial", "warranty_until"] },
  { id: "laptops", name: "Laptops", parent_id: "it", status_set_id: null, fields: ["ram_gb"] },
  { id: "monitors", name: "Monitors", parent_id: "it", status_set_id: null, fields: [] },
  { id: "furniture", name: "Furniture", parent_id: null, status_set_id: "lifecycle", fields: COMMON_FIELDS },
];
const LEAVES = ["laptops", "monitors", "furniture"];
const NOUNS = { laptops: "Laptop", monitors: "Monitor", furniture: "Desk" } as const;

/** The values asset number `i` (1-based) is imported with. */
export function inventoryEntry(i: number): Record<string, unknown> {
  const category = LEAVES[i % LEAVES.length] as keyof typeof NOUNS;
  const it = category !== "furniture";
  return {
    id: `ASSET-${String(i).padStart(4, "0")}`,
    name: `${NOUNS[category]} ${i}`,
    description: i % 10 === 0 ? `Spare unit number ${i}` : undefined,
    tags: i % 7 === 0 ? ["spare"] : [],
    category,
    status: STATUSES[i % STATUSES.length]!.id,
    site_id: SITES[i % SITES.length]!.id,
    condition: CONDITIONS[i % CONDITIONS.length],
    weight_kg: Math.round((1 + (i % 25) * 0.5) * 10) / 10,
    purchased: `202${i % 5}-${String((i % 12) + 1).padStart(2, "0")}-15`,
    insured: i % 3 === 0,
    ...(it ? { serial: `SN${String(100_000 + i * 7)}`, warranty_until: `2027-0${(i % 9) + 1}-01` } : {}),
    ...(category === "laptops" ? { ram_gb: [8, 16, 32][i % 3] } : {}),
  };
}

/** Sets up the fields, sites, status set and categories, then imports the assets; returns the import's ID. */
export async function seedInventory(api: Client, size = INVENTORY_SIZE): Promise<number> {
  await createField(api, { name: "condition", type: "Select", options: CONDITIONS, indexed: true });
  await createField(api, { name: "weight_kg", type: "Number" });
  await createField(api, { name: "purchased", type: "Date", indexed: true });
  await createField(api, { name: "insured", type: "Checkbox" });
  await createField(api, { name: "serial", type: "SingleLineText" });
  await createField(api, { name: "warranty_until", type: "Date" });
  await createField(api, { name: "ram_gb", type: "Integer" });
  for (const site of SITES) expect((await api.post("/api/v4/sites", site)).statusCode).toBe(201);
  expect((await api.post("/api/v4/status-sets", { id: "lifecycle", name: "Lifecycle", statuses: STATUSES })).statusCode).toBe(201);
  for (const { parent_id, status_set_id, ...category } of CATEGORIES) {
    const res = await api.post("/api/v4/categories", { ...category, ...(parent_id ? { parent_id } : {}), ...(status_set_id ? { status_set_id } : {}) });
    expect(res.statusCode, res.body).toBe(201);
  }
  const entries = Array.from({ length: size }, (_, n) => inventoryEntry(n + 1));
  const status = await runImport(api, entries, "?source_name=inventory.json");
  expect(status.status).toBe("COMPLETED");
  expect(status.stats).toMatchObject({ total_count: size, success_count: size, failed_count: 0, warning_count: 0 });
  return status.import_id as number;
}
