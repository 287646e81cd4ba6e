import { Type, type Static } from "@sinclair/typebox";
import { FIELD_TYPES, MAX_DECIMAL_PRECISION } from "../fields/field-types.js";
import { PageQuery, RequestInteger, StringEnum, Timestamp } from "./common.js";

export const FieldTypeSchema = StringEnum(FIELD_TYPES, { description: "Value type; see docs/fields.md for what each accepts" },
);

const Options = Type.Array(Type.String({ minLength: 1, maxLength: 255 }), {
  minItems: 1,
  maxItems: 1000,
  description: "Choices of a Select or MultiSelect field; unique ignoring case",
});
const Precision = RequestInteger({ minimum: 0, maximum: MAX_DECIMAL_PRECISION, description: "Fractional digits of a Decimal field (default 2)" });
const Description = Type.String({ maxLength: 1000 });
const Indexed = Type.Boolean({
  description: "Keep an index on the field's values, so that filters and sorts on it stay fast with many assets (docs/query.md)",
});

export const FieldSchema = Type.Object(
  {
    name: Type.String(),
    type: FieldTypeSchema,
    system: Type.Boolean({ description: "True for the asset's own fields, which imports never write" }),
    description: Type.String(),
    options: Type.Optional(Type.Array(Type.String())),
    precision: Type.Optional(Type.Integer()),
    indexed: Type.Boolean({ description: "Filters and sorts on the field use an index (system fields: only `id`)" }),
    created_at: Type.Optional(Timestamp),
    updated_at: Type.Optional(Timestamp),
  },
);
export type FieldResponse = Static<typeof FieldSchema>;

export const CreateFieldBody = Type.Object(
  {
    name: Type.String({ minLength: 1, description: "1-255 characters, case-sensitive; not a system field name" }),
    type: FieldTypeSchema,
    description: Type.Optional(Description),
    options: Type.Optional(Options),
    precision: Type.Optional(Precision),
    indexed: Type.Optional(Indexed),
  },
  { additionalProperties: false },
);
export type CreateFieldBody = Static<typeof CreateFieldBody>;

export const UpdateFieldBody = Type.Object(
  {
    name: Type.Optional(Type.String({ description: "Must equal the current name: fields cannot be renamed" })),
    type: Type.Optional(FieldTypeSchema),
    description: Type.Optional(Description),
    options: Type.Optional(Options),
    precision: Type.Optional(Precision),
    indexed: Type.Optional(Indexed),
  },
  { additionalProperties: false },
);
export type UpdateFieldBody = Static<typeof UpdateFieldBody>;

export const FieldListQuery = Type.Object({
  ...PageQuery,
  system: Type.Optional(Type.Boolean({ description: "Only system fields (true) or only custom fields (false)" })),
});

export const FieldNameParams = Type.Object({ name: Type.String({ description: "The field name, URL-encoded" }) });
