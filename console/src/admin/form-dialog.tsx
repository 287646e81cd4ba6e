import { Button, Group, Stack } from "@mantine/core";
import type { FormEvent, ReactNode } from "react";
import { AdminError } from "./admin-error";
import { FormModal } from "./form-modal";

/** What a dialog needs of its save mutation (a TanStack `useMutation` result with no variables). */
export interface SaveMutation {
  mutate: () => void;
  isPending: boolean;
  isError: boolean;
  error: unknown;
}

interface Props {
  title: string;
  size?: string;
  save: SaveMutation;
  submitLabel: string;
  onClose: () => void;
  /** Shown under the API's error while saving, for a save that takes a while. */
  progress?: ReactNode;
  children: ReactNode;
}

/**
 * An admin form in its dialog: Enter submits, the API's refusal stays in the
 * dialog beside the inputs to correct, and Save spins until the answer.
 */
export function FormDialog({ title, size, save, submitLabel, onClose, progress, children }: Props) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <FormModal onClose={onClose} title={title} {...(size ? { size } : {})}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          {children}
          {save.isError ? <AdminError error={save.error} /> : null}
          {progress}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </FormModal>
  );
}
