import { Button, Group, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { FormModal } from "./form-modal";
import type { ReactNode } from "react";
import { AdminError } from "./admin-error";

/**
 * Asks before a delete, and keeps the dialog open with the API's reason when
 * the service refuses (a 409 for something still in use).
 */
export function ConfirmDelete({ title, children, onDelete, onDone, onClose }: { title: string; children: ReactNode; onDelete: () => Promise<unknown>; onDone: () => void; onClose: () => void }) {
  const mutation = useMutation({ mutationFn: onDelete, onSuccess: onDone });
  return (
    <FormModal onClose={onClose} title={title}>
      <Stack gap="md">
        <Text size="sm">{children}</Text>
        {mutation.isError ? <AdminError error={mutation.error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" loading={mutation.isPending} onClick={() => mutation.mutate()}>
            Delete
          </Button>
        </Group>
      </Stack>
    </FormModal>
  );
}
