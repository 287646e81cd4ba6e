import { Type } from "@sinclair/typebox";
import type { ApiKeyRow } from "../storage/api-keys.js";
import { formatNullableTime, formatTime } from "../time.js";
import { NullableTimestamp, RequestInteger, Timestamp } from "./common.js";
import { RoleSchema } from "./users.js";

export const ApiKeySchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role: Type.String({ description: "The most the key may do; never more than its creator may do at the time of use" }),
  prefix: Type.String({ description: "The first characters of the secret, to tell keys apart" }),
  created_by: Type.String(),
  created_at: Timestamp,
  expires_at: NullableTimestamp,
  last_used_at: Type.Union([Timestamp, Type.Null()], { description: "Updated at most once a minute" }),
});

export const CreatedApiKeySchema = Type.Composite([
  ApiKeySchema,
  Type.Object({ key: Type.String({ description: "The secret, shown this once: send it as Authorization: Bearer <key>" }) }),
]);

// role: default the creator's; higher than it is 403.
export const NewApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255, pattern: "\\S", description: "What the key is for" }),
    role: Type.Optional(RoleSchema),
    expires_at: Type.Optional(Type.String({ format: "date-time", description: "RFC 3339; must lie in the future. Default: never" })),
  },
  { additionalProperties: false },
);

export const ApiKeyIdParams = Type.Object({ key_id: RequestInteger({ minimum: 1, maximum: 2 ** 31 - 1 }) });

export function toApiKey(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    created_by: row.created_by,
    created_at: formatTime(row.created_at),
    expires_at: formatNullableTime(row.expires_at),
    last_used_at: formatNullableTime(row.last_used_at),
  };
}
