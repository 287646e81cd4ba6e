import { Type } from "@sinclair/typebox";
import { NullableTimestamp, Timestamp } from "./common.js";

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 255 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  full_name: Type.String(),
  email: Type.String(),
  role: Type.String(),
  tenant_id: Type.Integer(),
  created_at: Timestamp,
  updated_at: Timestamp,
  last_login_at: NullableTimestamp,
});

export const TokenResponse = Type.Object({
  token: Type.String({ description: "Send as Authorization: Bearer <token>" }),
  expires: Timestamp,
  User: UserSchema,
});
