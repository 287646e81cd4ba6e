import { sql, type Kysely, type Selectable } from "kysely";
import { catalogChanged, lockCatalog } from "./catalog.js";
import type { FieldDefinition, FieldType } from "../fields/field-types.js";
import type { Database } from "./database.js";
import { createFieldIndex, dropFieldIndex } from "./field-values.js";
import type { AssetFieldsTable, DB } from "./schema.js";

export type FieldRow = Selectable<AssetFieldsTable>;

export interface StoredField extends FieldDefinition {
  description: string;
  /** Filters and sorts on the field use an index (storage/field-values.ts). */
  indexed: boolean;
  created_at: number;
  updated_at: number;
}

export type FieldSettings = FieldDefinition & { description: string; indexed: boolean };

export function toStoredField(row: FieldRow): StoredField {
  return {
    name: row.name,
    type: row.type as FieldType,
    description: row.description,
    ...(row.options !== null ? { options: JSON.parse(row.options) as string[] } : {}),
    ...(row.precision !== null ? { precision: row.precision } : {}),
    indexed: row.indexed === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function createFieldsRepository({ db, dialect }: Database) {
  // Whether a key is present in an asset's JSON object. json_each avoids
  // JSON-path quoting, so any field name (quotes, dots) works.
  const holdsValue = (name: string, table: "assets" | "asset_changes" = "assets") =>
    dialect === "postgres"
      ? sql<boolean>`${sql.ref(`${table}.data`)} ? ${name}`
      : sql<boolean>`exists (select 1 from json_each(${sql.ref(`${table}.data`)}) j where j.key = ${name})`;

  return {
    async list(tenantId: number, executor: Kysely<DB> = db): Promise<StoredField[]> {
      const rows = await executor.selectFrom("asset_fields").selectAll().where("tenant_id", "=", tenantId).orderBy("name").execute();
      return rows.map(toStoredField);
    },

    async get(tenantId: number, name: string): Promise<StoredField | undefined> {
      const row = await db
        .selectFrom("asset_fields")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("name", "=", name)
        .executeTakeFirst();
      return row && toStoredField(row);
    },

    async create(tenantId: number, field: FieldSettings, now: number): Promise<StoredField> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto("asset_fields")
          .values({
            tenant_id: tenantId,
            name: field.name,
            type: field.type,
            description: field.description,
            options: field.options ? JSON.stringify(field.options) : null,
            precision: field.precision ?? null,
            indexed: field.indexed ? 1 : 0,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (field.indexed) await createFieldIndex(trx, dialect, tenantId, field);
        return toStoredField(row);
      });
    },

    /** Changes a field; its index follows (created, dropped, or rebuilt for a new type). */
    async update(tenantId: number, field: FieldSettings, before: StoredField, now: number): Promise<StoredField> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable("asset_fields")
          .set({
            type: field.type,
            description: field.description,
            options: field.options ? JSON.stringify(field.options) : null,
            precision: field.precision ?? null,
            indexed: field.indexed ? 1 : 0,
            updated_at: now,
          })
          .where("tenant_id", "=", tenantId)
          .where("name", "=", field.name)
          .returningAll()
          .executeTakeFirstOrThrow();
        if (before.indexed && (!field.indexed || before.type !== field.type)) await dropFieldIndex(trx, tenantId, field.name);
        if (field.indexed && (!before.indexed || before.type !== field.type)) await createFieldIndex(trx, dialect, tenantId, field);
        return toStoredField(row);
      });
    },

    async anyAssetHoldsValue(tenantId: number, name: string): Promise<boolean> {
      const row = await db
        .selectFrom("assets")
        .select(sql<number>`1`.as("one"))
        .where("tenant_id", "=", tenantId)
        .where(holdsValue(name))
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** The distinct stored values of a field, parsed (for option removal checks). */
    async distinctValues(tenantId: number, name: string): Promise<unknown[]> {
      // Both dialects hand the value back as JSON text.
      const value =
        dialect === "postgres"
          ? sql<string>`(assets.data -> ${name})::text`
          : sql<string>`(select json_quote(j.value) from json_each(assets.data) j where j.key = ${name})`;
      const rows = await db
        .selectFrom("assets")
        .select(value.as("value"))
        .distinct()
        .where("tenant_id", "=", tenantId)
        .where(holdsValue(name))
        .execute();
      return rows.map((r) => JSON.parse(r.value) as unknown);
    },

    /** Removes the field and its value from every asset of the tenant, in one transaction. */
    async delete(tenantId: number, name: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const removeKey = (table: "assets" | "asset_changes") =>
          dialect === "postgres"
            ? sql<string>`${sql.ref(`${table}.data`)} - ${name}`
            : // json_each yields true/false as 1/0; json() keeps them booleans.
              sql<string>`(select json_group_object(j.key, case j.type when 'true' then json('true') when 'false' then json('false') else j.value end)
                from json_each(${sql.ref(`${table}.data`)}) j where j.key <> ${name})`;
        // The tenant's row lock first (categories that name the field change
        // too): asset writers take it first as well, so a batch in flight
        // finishes before and the next sees the field gone. No batch writes
        // values after this transaction has removed them.
        await lockCatalog(trx, tenantId);
        const result = await trx.deleteFrom("asset_fields").where("tenant_id", "=", tenantId).where("name", "=", name).executeTakeFirst();
        if (result.numDeletedRows === 0n) return false;
        await dropFieldIndex(trx, tenantId, name);
        await catalogChanged(trx, tenantId);
        await trx.deleteFrom("category_fields").where("tenant_id", "=", tenantId).where("field_name", "=", name).execute();
        await trx.updateTable("assets").set({ data: removeKey("assets") }).where("tenant_id", "=", tenantId).where(holdsValue(name)).execute();
        // History keeps states, not diffs: the values leave the recorded states
        // too, or a field created later under the name would show them.
        await trx
          .updateTable("asset_changes")
          .set({ data: removeKey("asset_changes") })
          .where("tenant_id", "=", tenantId)
          .where(holdsValue(name, "asset_changes"))
          .execute();
        return true;
      });
    },
  };
}
