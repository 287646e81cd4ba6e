import type { Kysely, Selectable } from "kysely";
import { CategoryTree } from "../assets/category-tree.js";
import { catalogChanged, lockCatalog, strandedStatus } from "./catalog.js";
import type { CategoriesTable, DB } from "./schema.js";

export type CategoryRow = Omit<Selectable<CategoriesTable>, "tenant_id"> & { fields: string[] };
export interface CategorySettings {
  name: string;
  parent_id: string | null;
  status_set_id: string | null;
  fields: string[];
}

const columns = ["id", "name", "parent_id", "status_set_id", "created_at", "updated_at"] as const;

/** A reference that does not hold, as a client message (the caller answers 400). */
export interface InvalidReference {
  invalid: string;
}

/**
 * Refuses references to what does not exist, and a parent that would make a
 * loop. Run inside the change's transaction, after the catalog lock: two
 * concurrent moves cannot each pass against the tree before the other.
 */
async function referenceProblem(trx: Kysely<DB>, tenantId: number, id: string, settings: Partial<CategorySettings>): Promise<InvalidReference | undefined> {
  const { parent_id, status_set_id, fields } = settings;
  if (parent_id != null) {
    const rows = await trx.selectFrom("categories").select(["id", "name", "parent_id", "status_set_id", "created_at", "updated_at"]).where("tenant_id", "=", tenantId).execute();
    const tree = new CategoryTree(rows.map((row) => ({ ...row, fields: [] })));
    if (!tree.has(parent_id)) return { invalid: `parent_id: category '${parent_id}' not found` };
    if (tree.wouldCycle(id, parent_id)) return { invalid: `parent_id: '${parent_id}' is '${id}' or one of its subcategories` };
  }
  if (status_set_id != null) {
    const set = await trx.selectFrom("status_sets").select("id").where("tenant_id", "=", tenantId).where("id", "=", status_set_id).executeTakeFirst();
    if (!set) return { invalid: `status_set_id: status set '${status_set_id}' not found` };
  }
  if (fields) {
    const known = new Set((await trx.selectFrom("asset_fields").select("name").where("tenant_id", "=", tenantId).execute()).map((f) => f.name));
    const unknown = fields.filter((f) => !known.has(f));
    if (unknown.length > 0) return { invalid: `fields: no custom field named ${unknown.map((f) => `'${f}'`).join(", ")}` };
    if (new Set(fields).size !== fields.length) return { invalid: "fields: a field appears twice" };
  }
  return undefined;
}

export function createCategoriesRepository(db: Kysely<DB>) {
  async function fieldsOf(executor: Kysely<DB>, tenantId: number, ids?: string[]): Promise<Map<string, string[]>> {
    let query = executor.selectFrom("category_fields").select(["category_id", "field_name"]).where("tenant_id", "=", tenantId);
    if (ids) query = query.where("category_id", "in", ids);
    const byCategory = new Map<string, string[]>();
    // In the order given; by name for rows stored before positions were.
    for (const row of await query.orderBy("position").orderBy("field_name").execute()) {
      byCategory.set(row.category_id, [...(byCategory.get(row.category_id) ?? []), row.field_name]);
    }
    return byCategory;
  }

  async function one(executor: Kysely<DB>, tenantId: number, id: string): Promise<CategoryRow | undefined> {
    const row = await executor.selectFrom("categories").select(columns).where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
    return row && { ...row, fields: (await fieldsOf(executor, tenantId, [id])).get(id) ?? [] };
  }

  async function setFields(trx: Kysely<DB>, tenantId: number, id: string, fields: string[]): Promise<void> {
    await trx.deleteFrom("category_fields").where("tenant_id", "=", tenantId).where("category_id", "=", id).execute();
    if (fields.length > 0) {
      await trx.insertInto("category_fields").values(fields.map((field_name, position) => ({ tenant_id: tenantId, category_id: id, field_name, position }))).execute();
    }
  }

  return {
    /** The whole tree, by ID: a tenant has tens or hundreds of categories, and the hierarchy is worked out from all of them. */
    async all(tenantId: number): Promise<CategoryRow[]> {
      const [rows, fields] = await Promise.all([
        db.selectFrom("categories").select(columns).where("tenant_id", "=", tenantId).orderBy("id").execute(),
        fieldsOf(db, tenantId),
      ]);
      return rows.map((row) => ({ ...row, fields: fields.get(row.id) ?? [] }));
    },

    get(tenantId: number, id: string): Promise<CategoryRow | undefined> {
      return one(db, tenantId, id);
    },

    /** The new category, undefined when the ID is taken, or why a reference does not hold. */
    async create(tenantId: number, id: string, settings: CategorySettings, now: number): Promise<CategoryRow | InvalidReference | undefined> {
      return db.transaction().execute(async (trx) => {
        await lockCatalog(trx, tenantId);
        const invalid = await referenceProblem(trx, tenantId, id, settings);
        if (invalid) return invalid;
        const { fields, ...columnsOf } = settings;
        const created = await trx
          .insertInto("categories")
          .values({ tenant_id: tenantId, id, ...columnsOf, created_at: now, updated_at: now })
          .onConflict((oc) => oc.columns(["tenant_id", "id"]).doNothing())
          .returning("id")
          .executeTakeFirst();
        if (!created) return undefined;
        await setFields(trx, tenantId, id, fields);
        await catalogChanged(trx, tenantId);
        return one(trx, tenantId, id);
      });
    },

    /**
     * The changed category, undefined when there is none, or, when a new
     * parent or status set would leave assets of it or its subcategories
     * with a status their set does not have, that asset's category and
     * status (nothing is changed then).
     */
    async update(
      tenantId: number,
      id: string,
      settings: Partial<CategorySettings>,
      now: number,
    ): Promise<CategoryRow | InvalidReference | { stranded: { category: string; status: string } } | undefined> {
      const stranded = new Error("stranded");
      let found: { category: string; status: string } | undefined;
      return db
        .transaction()
        .execute(async (trx) => {
          await lockCatalog(trx, tenantId);
          const exists = await trx.selectFrom("categories").select("id").where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
          if (!exists) return undefined;
          const invalid = await referenceProblem(trx, tenantId, id, settings);
          if (invalid) return invalid;
          const { fields, ...columnsOf } = settings;
          const updated = await trx.updateTable("categories").set({ ...columnsOf, updated_at: now }).where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
          if (Number(updated.numUpdatedRows) === 0) return undefined;
          if (fields) await setFields(trx, tenantId, id, fields);
          if (settings.parent_id !== undefined || settings.status_set_id !== undefined) {
            found = await strandedStatus(trx, tenantId, (catalog) => catalog.subtree(id));
            // Throwing rolls the change back.
            if (found) throw stranded;
          }
          await catalogChanged(trx, tenantId);
          return one(trx, tenantId, id);
        })
        .catch((err: unknown) => {
          if (err === stranded && found) return { stranded: found };
          throw err;
        });
    },

    /** "deleted", "missing", "has-children" while subcategories name it as parent, or "in-use" while an asset (deleted ones too) has it. */
    async delete(tenantId: number, id: string): Promise<"deleted" | "missing" | "has-children" | "in-use"> {
      return db.transaction().execute(async (trx) => {
        await lockCatalog(trx, tenantId);
        const used = await trx.selectFrom("assets").select("id").where("tenant_id", "=", tenantId).where("category_id", "=", id).limit(1).executeTakeFirst();
        if (used) return "in-use";
        const child = await trx.selectFrom("categories").select("id").where("tenant_id", "=", tenantId).where("parent_id", "=", id).limit(1).executeTakeFirst();
        if (child) return "has-children";
        const result = await trx.deleteFrom("categories").where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return "missing";
        await setFields(trx, tenantId, id, []);
        await catalogChanged(trx, tenantId);
        return "deleted";
      });
    },
  };
}
