import { Type } from "@sinclair/typebox";
import { Timestamp } from "./common.js";
import { UserSchema } from "./users.js";

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 255 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const TokenResponse = Type.Object({
  token: Type.String({ description: "Send as Authorization: Bearer <token>" }),
  expires: Timestamp,
  // The contract's user, exactly: the users API adds disabled and system_admin.
  User: Type.Omit(UserSchema, ["disabled", "system_admin"]),
});
