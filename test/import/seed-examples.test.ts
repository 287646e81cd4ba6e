import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE1_ENTRIES, EXAMPLE1_FIELDS } from "../fixtures/example-1.js";
import { createField, fullReport, runImport, startTestApp, type TestApp } from "../helpers/app.js";

// The examples of seeds/thingshub-assets-import-v4.txt, with the outcomes the
// seed annotates.
describe("thingsHub v4 seed examples", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    for (const field of EXAMPLE1_FIELDS) await createField(t.api, field);
  });
  afterAll(() => t.close());

  it("Example 1: exactly the annotated warnings and failures, the stats and the stored values", async () => {
    const example1 = EXAMPLE1_ENTRIES;
    const status = await runImport(t.api, example1);
    expect(status).toMatchObject({
      resource: "assets",
      status: "COMPLETED",
      config: { id_mapping_field: "id", name_mapping_field: "name" },
      stats: { total_count: 8, success_count: 6, failed_count: 2, warning_count: 3, in_progress_count: 0 },
    });
    expect(status.import_duration).toMatch(/^\d+(\.\d+)?s$/);

    expect(await fullReport(t.api)).toEqual([
      { entry_num: 1, status: "WARNING", message: "site_name: 'site_name' is a system field and cannot be imported" },
      { entry_num: 1, status: "SUCCESS", action: "created" },
      { entry_num: 2, status: "WARNING", message: "size: Invalid value found for field 'size' of type: 'Number': bad request" },
      { entry_num: 2, status: "SUCCESS", action: "created" },
      { entry_num: 3, status: "WARNING", message: "is_available: Invalid value found for field 'is_available' of type: 'Checkbox': bad request" },
      { entry_num: 3, status: "SUCCESS", action: "created" },
      { entry_num: 4, status: "FAILED", message: "Missing ID" },
      { entry_num: 5, status: "FAILED", message: "Invalid ID found" },
      { entry_num: 6, status: "SUCCESS", action: "created" },
      { entry_num: 7, status: "SUCCESS", action: "created" },
      { entry_num: 8, status: "SUCCESS", action: "created" },
    ]);

    const assets = (await t.api.get("/api/v4/assets")).json().collection;
    expect(assets.map((a: { id: string }) => a.id)).toEqual(["asset-112", "asset-113", "asset-114", "asset-123", "asset-456", "asset-789"]);
    const byId = Object.fromEntries(assets.map((a: { id: string }) => [a.id, a]));
    expect(byId["asset-123"]).toMatchObject({ name: "Laptop", brand: "Dell", model: "XPS 13", site_name: null });
    expect(byId["asset-456"]).toMatchObject({ name: "Monitor", brand: "Samsung" });
    expect(byId["asset-456"]).not.toHaveProperty("size");
    expect(byId["asset-789"]).toMatchObject({ operating_system: "Android" });
    expect(byId["asset-789"]).not.toHaveProperty("is_available");
    expect(byId["asset-113"].size).toBe(17);
    expect(byId["asset-114"]).toMatchObject({ name: "Mouse", size: 12, connection_type: "wired", is_available: true });
  });

  it("Example 2: 13 valid entries, all imported without a report row other than SUCCESS", async () => {
    const brands = ["Dell", "Samsung", "Logitech", "HP", "Canon", "Epson", "Apple", "Samsung", "Lenovo", "Dell", "Cisco", "Netgear", "BenQ"];
    const names = ["Laptop", "Monitor", "Keyboard", "Mouse", "Printer", "Scanner", "Tablet", "Smartphone", "Desktop", "Server", "Router", "Switch", "Projector"];
    const example2 = brands.map((brand, i) => ({ id: `asset-${String(i + 1).padStart(3, "0")}`, name: `${names[i]} 1`, brand }));
    const status = await runImport(t.api, example2);
    expect(status.stats).toEqual({ total_count: 13, success_count: 13, failed_count: 0, warning_count: 0, in_progress_count: 0 });
    const report = await fullReport(t.api);
    expect(report).toEqual(example2.map((_, i) => ({ entry_num: i + 1, status: "SUCCESS", action: "created" })));
    expect((await t.api.get("/api/v4/assets/asset-013")).json()).toMatchObject({ name: "Projector 1", brand: "BenQ" });
  });

  it("Scenario 1 and 2: default keys, and id_mapping_field / name_mapping_field", async () => {
    await createField(t.api, { name: "price", type: "Number" });
    await createField(t.api, { name: "stock_quantity", type: "Integer" });
    const scenario1 = await runImport(t.api, [
      { id: "prod-123", name: "Premium Coffee Beans, 1lb bag", price: 12.99, stock_quantity: 100 },
      { id: "prod-456", name: "Organic Green Tea, 20 bags", price: 8.5, stock_quantity: 50 },
    ]);
    expect(scenario1.stats.success_count).toBe(2);

    const scenario2 = await runImport(
      t.api,
      [
        { product_code: "prod-789", detailed_description: "Espresso, 250 g", price: 7.25, stock_quantity: 10 },
        { product_code: "prod-456", detailed_description: "Organic Green Tea, 40 bags", price: 15, stock_quantity: 5 },
      ],
      "?id_mapping_field=product_code&name_mapping_field=detailed_description",
    );
    expect(scenario2).toMatchObject({
      config: { id_mapping_field: "product_code", name_mapping_field: "detailed_description" },
      stats: { success_count: 2, warning_count: 0, failed_count: 0 },
    });
    expect((await t.api.get("/api/v4/assets/prod-789")).json()).toMatchObject({ name: "Espresso, 250 g", price: 7.25, stock_quantity: 10 });
    const updated = (await t.api.get("/api/v4/assets/prod-456")).json();
    expect(updated).toMatchObject({ name: "Organic Green Tea, 40 bags", price: 15, stock_quantity: 5, version: 2 });
    expect(updated).not.toHaveProperty("product_code");
  });
});
