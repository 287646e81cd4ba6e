import { PasswordInput, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import { FormDialog } from "../form-dialog";
import { RoleSelect, type Role } from "./role-select";

export function NewUserForm({ onSaved, onClose }: { onSaved: () => void; onClose: () => void }) {
  const [username, setUsername] = useState("");
  const [fullName, setFullName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [password, setPassword] = useState("");
  const save = useMutation({
    mutationFn: () => data(api.POST("/api/v4/users", { body: { username, full_name: fullName, email, role, password } })),
    onSuccess: onSaved,
  });
  return (
    <FormDialog onClose={onClose} title="New user" save={save} submitLabel="Create user">
      <TextInput label="Username" description="Unique across all tenants: logging in names no tenant" value={username} onChange={(e) => setUsername(e.currentTarget.value)} required data-autofocus />
      <TextInput label="Full name" value={fullName} onChange={(e) => setFullName(e.currentTarget.value)} />
      <TextInput label="Email" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
      <RoleSelect description="Viewer: reads; editor: also imports and edits assets; admin: also runs the registry" value={role} onChange={setRole} />
      <PasswordInput label="Password" description="8 characters or more" value={password} onChange={(e) => setPassword(e.currentTarget.value)} required autoComplete="new-password" />
    </FormDialog>
  );
}

/** Sets a user's password; the service ends their sessions and deletes their API keys. */
export function ResetPasswordForm({ userId, username, onSaved, onClose }: { userId: number; username: string; onSaved: () => void; onClose: () => void }) {
  const [password, setPassword] = useState("");
  const save = useMutation({
    mutationFn: () => data(api.POST("/api/v4/users/{user_id}/password", { params: { path: { user_id: userId } }, body: { password } })),
    onSuccess: onSaved,
  });
  return (
    <FormDialog onClose={onClose} title={`New password for ${username}`} save={save} submitLabel="Set password">
      <PasswordInput
        label="New password"
        description="8 characters or more. Their sessions end and their API keys are deleted."
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        required
        autoComplete="new-password"
        data-autofocus
      />
    </FormDialog>
  );
}
