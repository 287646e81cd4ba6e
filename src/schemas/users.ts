import { Type } from "@sinclair/typebox";
import { ROLES } from "../auth/roles.js";
import type { UserRow } from "../storage/users.js";
import { formatNullableTime, formatTime } from "../time.js";
import { NullableTimestamp, RequestInteger, StringEnum, Timestamp } from "./common.js";

export const RoleSchema = StringEnum(ROLES, { description: "viewer: read only; editor: also imports and asset writes; admin: also fields, users and the audit log" },
);

// Passwords are capped so that hashing one stays cheap (scrypt reads all of it).
const Password = Type.String({ minLength: 8, maxLength: 1024, description: "8 to 1,024 characters" });
const Username = Type.String({ minLength: 1, maxLength: 255, pattern: "^\\S(.*\\S)?$", description: "Unique across tenants; no leading or trailing space" });

export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  full_name: Type.String(),
  email: Type.String(),
  role: Type.String(),
  tenant_id: Type.Integer(),
  disabled: Type.Boolean(),
  system_admin: Type.Boolean({ description: "May create tenants" }),
  created_at: Timestamp,
  updated_at: Timestamp,
  last_login_at: NullableTimestamp,
});

export function toUser(row: UserRow) {
  return {
    id: row.id,
    username: row.username,
    full_name: row.full_name,
    email: row.email,
    role: row.role,
    tenant_id: row.tenant_id,
    disabled: row.disabled_at !== null,
    system_admin: row.system_admin === 1,
    created_at: formatTime(row.created_at),
    updated_at: formatTime(row.updated_at),
    last_login_at: formatNullableTime(row.last_login_at),
  };
}

export const NewUserBody = Type.Object(
  {
    username: Username,
    password: Password,
    role: RoleSchema,
    full_name: Type.Optional(Type.String({ maxLength: 255 })),
    email: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);

export const UserPatchBody = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    full_name: Type.Optional(Type.String({ maxLength: 255 })),
    email: Type.Optional(Type.String({ maxLength: 255 })),
    disabled: Type.Optional(Type.Boolean({ description: "true ends the user's sessions; their API keys stop working until re-enabled" })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PasswordResetBody = Type.Object({ password: Password }, { additionalProperties: false });

export const OwnPasswordBody = Type.Object(
  { current_password: Type.String({ minLength: 1, maxLength: 1024 }), new_password: Password },
  { additionalProperties: false },
);

export const UserIdParams = Type.Object({ user_id: RequestInteger({ minimum: 1, maximum: 2 ** 31 - 1 }) });
