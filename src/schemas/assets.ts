import { Type, type Static } from "@sinclair/typebox";
import { NullableTimestamp, PageQuery, Timestamp } from "./common.js";

export const AssetSchema = Type.Object(
  {
    id: Type.String(),
    uid: Type.String({ format: "uuid" }),
    name: Type.String(),
    created_at: Timestamp,
    created_by: Type.String(),
    updated_at: Timestamp,
    updated_by: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    is_active: Type.Boolean(),
    deleted_at: NullableTimestamp,
    site_id: Type.Union([Type.String(), Type.Null()]),
    site_name: Type.Union([Type.String(), Type.Null()]),
  },
  {
    additionalProperties: true,
    description:
      "One flat object: the system fields and, beside them at the root, each custom field that holds a value " +
      "(a field without a value is left out).",
    examples: [
      {
        id: "prod-123",
        uid: "0b6f4a4e-2f7c-4a51-9d55-0d4e8e7b8a11",
        name: "Premium Coffee Beans, 1lb bag",
        price: 12.99,
        stock_quantity: 100,
        created_at: "2025-03-04T03:21:44.846Z",
        created_by: "admin",
        updated_at: "2025-03-04T03:21:44.846Z",
        updated_by: "admin",
        version: 1,
        is_active: true,
        deleted_at: null,
        site_id: null,
        site_name: null,
      },
    ],
  },
);

export const AssetListQuery = Type.Object({ ...PageQuery });
export const AssetIdParams = Type.Object({ id: Type.String() });

/** System fields plus the custom values beside them. */
export type FlatAsset = Static<typeof AssetSchema> & Record<string, unknown>;
