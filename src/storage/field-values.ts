import { createHash } from "node:crypto";
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { FieldDefinition } from "../fields/field-types.js";
import type { Dialect } from "./database.js";

// How SQL reads a custom field's value out of an asset's JSON `data`. Filters,
// sorts and the expression index of an indexed field all use this one
// expression: an index serves a query only when both spell it the same way.
//
// Values compare by type: numbers as numbers, text, dates and times as text
// in byte order (dates and UTC times sort correctly as text), checkboxes as
// booleans. A field without a value reads as NULL.

export function fieldValueSql(dialect: Dialect, field: Pick<FieldDefinition, "name" | "type">): RawBuilder<unknown> {
  if (dialect === "sqlite") {
    // A quoted JSON-path label takes JSON string escapes, so any name works.
    return sql`json_extract(data, ${sql.lit(`$.${JSON.stringify(field.name)}`)})`;
  }
  const key = sql.lit(field.name);
  switch (field.type) {
    case "Number":
    case "Integer":
    case "Decimal":
      return sql`((data ->> ${key})::numeric)`;
    case "Checkbox":
      return sql`((data ->> ${key})::boolean)`;
    case "MultiSelect":
      return sql`(data -> ${key})`;
    default:
      return sql`((data ->> ${key}) collate "C")`;
  }
}

/**
 * The index of an indexed field: partial, one tenant's rows only, so a
 * PostgreSQL cast never meets another tenant's value of another type. Its
 * key starts with is_active, which every list without include_inactive fixes
 * (so counts read the index alone), and ends with the ID, the tie-breaker of
 * every sort.
 */
export function fieldIndexName(tenantId: number, fieldName: string): string {
  return `assets_t${tenantId}_f${createHash("sha256").update(fieldName).digest("hex").slice(0, 16)}`;
}

export async function createFieldIndex(db: Kysely<any>, dialect: Dialect, tenantId: number, field: Pick<FieldDefinition, "name" | "type">): Promise<void> {
  const value = fieldValueSql(dialect, field);
  // NULL (no value) sorts first ascending on both backends, as SQLite's indexes keep it.
  const key = dialect === "postgres" ? sql`is_active, ${value} nulls first, id` : sql`is_active, ${value}, id`;
  await sql`create index if not exists ${sql.id(fieldIndexName(tenantId, field.name))} on assets (${key}) where tenant_id = ${sql.lit(tenantId)}`.execute(db);
  // Fresh statistics let the planner choose between a filter's index and a sort's.
  await sql`analyze assets`.execute(db);
}

export async function dropFieldIndex(db: Kysely<any>, tenantId: number, fieldName: string): Promise<void> {
  await sql`drop index if exists ${sql.id(fieldIndexName(tenantId, fieldName))}`.execute(db);
}
