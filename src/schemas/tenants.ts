import { Type } from "@sinclair/typebox";
import type { TenantRow } from "../storage/tenants.js";
import { formatTime } from "../time.js";
import { Timestamp } from "./common.js";
import { UserSchema } from "./users.js";

export const TenantSchema = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  created_at: Timestamp,
});

export const NewTenantBody = Type.Object(
  {
    slug: Type.String({
      minLength: 1,
      maxLength: 63,
      pattern: "^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
      description: "Unique: lowercase letters, digits and inner hyphens",
    }),
    name: Type.String({ minLength: 1, maxLength: 255, pattern: "\\S" }),
    admin: Type.Object(
      {
        username: Type.String({ minLength: 1, maxLength: 255, pattern: "^\\S(.*\\S)?$" }),
        password: Type.String({ minLength: 8, maxLength: 1024 }),
        full_name: Type.Optional(Type.String({ maxLength: 255 })),
        email: Type.Optional(Type.String({ maxLength: 255 })),
      },
      { additionalProperties: false, description: "The tenant's first admin" },
    ),
  },
  { additionalProperties: false },
);

export const CreatedTenantSchema = Type.Composite([TenantSchema, Type.Object({ admin: UserSchema })]);

export function toTenant(row: TenantRow) {
  return { id: row.id, slug: row.slug, name: row.name, created_at: formatTime(row.created_at) };
}
