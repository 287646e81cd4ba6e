import { Type } from "@sinclair/typebox";
import type { CategoryTree } from "../assets/category-tree.js";
import type { CategoryRow } from "../storage/categories.js";
import type { StatusSetRow } from "../storage/status-sets.js";
import { formatTime } from "../time.js";
import { Timestamp } from "./common.js";

const IdRule = "The asset ID rule: 1-63 of A-Z a-z 0-9 -, letters or digits at both ends, no --";
const Name = Type.String({ minLength: 1, maxLength: 255, pattern: "\\S", description: "Not blank" });

const StatusSchema = Type.Object({ id: Type.String({ description: IdRule }), name: Name }, { additionalProperties: false });
const Statuses = Type.Array(StatusSchema, { minItems: 1, maxItems: 100, description: "In order; IDs and names unique in the set" });

export const StatusSetSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  statuses: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const NewStatusSetBody = Type.Object({ id: Type.String({ description: IdRule }), name: Name, statuses: Statuses }, { additionalProperties: false });
export const StatusSetPatchBody = Type.Object({ name: Type.Optional(Name), statuses: Type.Optional(Statuses) }, { additionalProperties: false, minProperties: 1 });
export const StatusSetIdParams = Type.Object({ status_set_id: Type.String() });

export function toStatusSet(row: StatusSetRow) {
  return { id: row.id, name: row.name, statuses: row.statuses, created_at: formatTime(row.created_at), updated_at: formatTime(row.updated_at) };
}

// Null first: with Fastify's type coercion, null would otherwise become "" for the string branch.
const Reference = (description: string) => Type.Union([Type.Null(), Type.String()], { description });
const FieldNames = Type.Array(Type.String(), { maxItems: 1000, description: "Custom fields that apply to the category and its subcategories" });

export const CategorySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  parent_id: Reference("The parent category; null at the top"),
  status_set_id: Reference("Its own status set; null to take the nearest ancestor's"),
  fields: Type.Array(Type.String(), { description: "Its own fields" }),
  path: Type.Array(Type.String(), { description: "The IDs from the top category down to this one" }),
  effective_status_set_id: Reference("The status set its assets use: its own or the nearest ancestor's"),
  effective_fields: Type.Array(Type.String(), { description: "Its fields and its ancestors'" }),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const NewCategoryBody = Type.Object(
  {
    id: Type.String({ description: IdRule }),
    name: Name,
    parent_id: Type.Optional(Reference("The parent category")),
    status_set_id: Type.Optional(Reference("A status set")),
    fields: Type.Optional(FieldNames),
  },
  { additionalProperties: false },
);

export const CategoryPatchBody = Type.Object(
  {
    name: Type.Optional(Name),
    parent_id: Type.Optional(Reference("The parent category (not the category itself or one below it)")),
    status_set_id: Type.Optional(Reference("A status set")),
    fields: Type.Optional(FieldNames),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CategoryIdParams = Type.Object({ category_id: Type.String() });

export function toCategory(row: CategoryRow, tree: CategoryTree) {
  const effective = tree.effective(row.id);
  return {
    id: row.id,
    name: row.name,
    parent_id: row.parent_id,
    status_set_id: row.status_set_id,
    fields: row.fields,
    path: tree.lineage(row.id).map((c) => c.id).reverse(),
    effective_status_set_id: effective.status_set_id,
    effective_fields: effective.fields,
    created_at: formatTime(row.created_at),
    updated_at: formatTime(row.updated_at),
  };
}
