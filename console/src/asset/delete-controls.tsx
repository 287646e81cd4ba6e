import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { assetsChanged } from "../api/asset-reads";
import { ErrorAlert } from "../ui/error-alert";
import { formatTime } from "../ui/format";
import { deleteAsset, restoreAsset, type Asset } from "./asset-api";
import { assetKey } from "./edit-form";
import { isStale, refusalTitle } from "../ui/refusal";

/** A delete or restore; refused with 412, the page reads the asset again, as its message says. */
function useAssetWrite(asset: Asset, write: () => Promise<unknown>, onDone?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async () => {
      onDone?.();
      await assetsChanged(queryClient);
    },
    onError: (error) => {
      if (isStale(error)) void queryClient.invalidateQueries({ queryKey: assetKey(asset.id) });
    },
  });
}

/** A refusal in words; a 412 says that the asset moved on and that the page shows it again. */
function WriteError({ error, action }: { error: unknown; action: string }) {
  if (isStale(error)) return <ErrorAlert error={error} title={`Someone else changed this asset: the page shows it as it is now. Could not ${action}`} />;
  return <ErrorAlert error={error} title={refusalTitle(error, action)} />;
}

/** "Delete" with a confirmation (a soft delete: the asset keeps its values and history). */
export function DeleteButton({ asset }: { asset: Asset }) {
  const [open, setOpen] = useState(false);
  const remove = useAssetWrite(asset, () => deleteAsset(asset.id, asset.version), () => setOpen(false));
  return (
    <>
      <Button color="red" variant="light" onClick={() => setOpen(true)}>
        Delete
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Delete ${asset.name}?`}>
        <Stack gap="md">
          <Text size="sm">The asset leaves lists and exports. It keeps its ID, values and history, and can be restored.</Text>
          {remove.error ? <WriteError error={remove.error} action="delete the asset" /> : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => remove.mutate()}
            >
              Delete asset
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** The banner of a deleted asset, with Restore for those who may. */
export function DeletedBanner({ asset, canRestore }: { asset: Asset; canRestore: boolean }) {
  const restore = useAssetWrite(asset, () => restoreAsset(asset.id, asset.version));
  return (
    <Alert color="red" variant="light" title="This asset is deleted" role="status">
      <Stack gap="sm">
        <Text size="sm">
          Deleted on {formatTime(asset.deleted_at ?? undefined)} by {asset.updated_by}. It is left out of lists and exports until it is restored.
        </Text>
        {restore.error ? <WriteError error={restore.error} action="restore the asset" /> : null}
        {canRestore ? (
          <Group>
            <Button size="xs" variant="white" color="red" onClick={() => restore.mutate()} loading={restore.isPending}>
              Restore
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Alert>
  );
}
