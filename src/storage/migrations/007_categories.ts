import { sql, type Kysely } from "kysely";
import type { Dialect } from "../database.js";

// Categories (a hierarchy) with the custom fields that apply to them and a
// status set; status sets of ordered statuses (BIM 360's model).
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = dialect === "postgres" ? sql`text collate "C"` : sql`text`;
  await db.schema
    .createTable("status_sets")
    .addColumn("tenant_id", "integer", (c) => c.notNull().references("tenants.id"))
    .addColumn("id", id, (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    // JSON array of {id, name}, in the set's order: a set is read and written whole.
    .addColumn("statuses", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("status_sets_pk", ["tenant_id", "id"])
    .execute();

  await db.schema
    .createTable("categories")
    .addColumn("tenant_id", "integer", (c) => c.notNull().references("tenants.id"))
    .addColumn("id", id, (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("parent_id", id)
    .addColumn("status_set_id", id)
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("categories_pk", ["tenant_id", "id"])
    .execute();

  // The custom fields a category names; its subcategories inherit them.
  await db.schema
    .createTable("category_fields")
    .addColumn("tenant_id", "integer", (c) => c.notNull())
    .addColumn("category_id", id, (c) => c.notNull())
    .addColumn("field_name", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("category_fields_pk", ["tenant_id", "category_id", "field_name"])
    .execute();
}
