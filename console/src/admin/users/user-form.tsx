import { PasswordInput, Select, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import { ROLES } from "../admin-types";
import { FormDialog } from "../form-dialog";

export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: role[0]!.toUpperCase() + role.slice(1) }));

export function NewUserForm({ onSaved, onClose }: { onSaved: () => void; onClose: () => void }) {
  const [username, setUsername] = useState("");
  const [fullName, setFullName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<(typeof ROLES)[number]>("viewer");
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
      <Select
        label="Role"
        description="Viewer: reads; editor: also imports and edits assets; admin: also runs the registry"
        data={ROLE_OPTIONS}
        value={role}
        onChange={(value) => value && setRole(value as typeof role)}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
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
