import { Select } from "@mantine/core";
import { ROLES } from "../admin-types";

export type Role = (typeof ROLES)[number];

export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: role[0]!.toUpperCase() + role.slice(1) }));

/** A dialog's choice of role (a user's, or the most an API key may do). */
export function RoleSelect({ description, value, onChange }: { description: string; value: Role; onChange: (role: Role) => void }) {
  return (
    <Select
      label="Role"
      description={description}
      data={ROLE_OPTIONS}
      value={value}
      onChange={(next) => next && onChange(next as Role)}
      allowDeselect={false}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
