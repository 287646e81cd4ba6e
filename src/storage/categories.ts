import type { Kysely, Selectable } from "kysely";
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

export function createCategoriesRepository(db: Kysely<DB>) {
  async function fieldsOf(executor: Kysely<DB>, tenantId: number, ids?: string[]): Promise<Map<string, string[]>> {
    let query = executor.selectFrom("category_fields").select(["category_id", "field_name"]).where("tenant_id", "=", tenantId);
    if (ids) query = query.where("category_id", "in", ids);
    const byCategory = new Map<string, string[]>();
    for (const row of await query.orderBy("field_name").execute()) byCategory.set(row.category_id, [...(byCategory.get(row.category_id) ?? []), row.field_name]);
    return byCategory;
  }

  async function one(executor: Kysely<DB>, tenantId: number, id: string): Promise<CategoryRow | undefined> {
    const row = await executor.selectFrom("categories").select(columns).where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
    return row && { ...row, fields: (await fieldsOf(executor, tenantId, [id])).get(id) ?? [] };
  }

  async function setFields(trx: Kysely<DB>, tenantId: number, id: string, fields: string[]): Promise<void> {
    await trx.deleteFrom("category_fields").where("tenant_id", "=", tenantId).where("category_id", "=", id).execute();
    if (fields.length > 0) await trx.insertInto("category_fields").values(fields.map((field_name) => ({ tenant_id: tenantId, category_id: id, field_name }))).execute();
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

    /** The new category, or undefined when the ID is taken. */
    async create(tenantId: number, id: string, settings: CategorySettings, now: number): Promise<CategoryRow | undefined> {
      return db.transaction().execute(async (trx) => {
        await lockCatalog(trx, tenantId);
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
    async update(tenantId: number, id: string, settings: Partial<CategorySettings>, now: number): Promise<CategoryRow | { stranded: { category: string; status: string } } | undefined> {
      const stranded = new Error("stranded");
      let found: { category: string; status: string } | undefined;
      return db
        .transaction()
        .execute(async (trx) => {
          await lockCatalog(trx, tenantId);
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
