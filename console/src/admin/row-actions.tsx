import { Button, Group, type GroupProps } from "@mantine/core";
import type { ReactNode } from "react";

interface Props {
  /** Names the row in the buttons' labels ("Edit HQ"), as several rows show the same two buttons. */
  name: string;
  onEdit: () => void;
  onDelete: () => void;
  justify?: GroupProps["justify"];
  /** Further buttons, before Edit. */
  children?: ReactNode;
}

export function RowActions({ name, onEdit, onDelete, justify, children }: Props) {
  return (
    <Group gap="xs" wrap="nowrap" justify={justify}>
      {children}
      <Button size="xs" variant="default" onClick={onEdit} aria-label={`Edit ${name}`}>
        Edit
      </Button>
      <Button size="xs" variant="subtle" color="red" onClick={onDelete} aria-label={`Delete ${name}`}>
        Delete
      </Button>
    </Group>
  );
}
