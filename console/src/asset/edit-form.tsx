import { Alert, Button, Group, Stack } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { assetsChanged } from "../api/asset-reads";
import { ErrorAlert } from "../ui/error-alert";
import { patchAsset, type Asset } from "./asset-api";
import { AttributeInputs, CustomFieldInputs, draftOf, typeOfKey, writableKeys } from "./asset-inputs";
import type { Catalog } from "./catalog";
import { ConflictAlert } from "./conflict-alert";
import { changedKeys, type Draft } from "./draft";
import { fieldErrors } from "./field-errors";
import { isStale, refusalTitle } from "../ui/refusal";

export const assetKey = (assetId: string) => ["asset-page", "asset", assetId];

interface EditFormProps {
  asset: Asset;
  catalog: Catalog;
  onDone: () => void;
  onReload: () => Promise<unknown>;
}

/** The edit mode: sends only the keys changed, based on the version it was opened at. */
export function EditForm({ asset, catalog, onDone, onReload }: EditFormProps) {
  const queryClient = useQueryClient();
  // The asset as the form opened it: a refetch meanwhile must not move the version
  // the changes are based on, or a save would overwrite what someone else wrote.
  const [opened] = useState(asset);
  const [base] = useState<Draft>(() => draftOf(catalog, opened));
  const [draft, setDraft] = useState<Draft>(base);
  const [nothingChanged, setNothingChanged] = useState(false);
  const [reloading, setReloading] = useState(false);
  const save = useMutation({
    mutationFn: (changes: Record<string, unknown>) => patchAsset(opened.id, opened.version, changes),
    onSuccess: (saved) => {
      void assetsChanged(queryClient);
      queryClient.setQueryData(assetKey(asset.id), saved);
      onDone();
    },
  });
  const keys = writableKeys(catalog, draft);
  const errors = fieldErrors(save.error, keys);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const changes = changedKeys(base, draft, (key) => typeOfKey(catalog, key));
    const sent = Object.fromEntries(Object.entries(changes).filter(([key]) => keys.includes(key)));
    if (Object.keys(sent).length === 0) {
      setNothingChanged(true);
      return;
    }
    setNothingChanged(false);
    save.mutate(sent);
  };
  const reload = async () => {
    setReloading(true);
    try {
      await onReload();
    } finally {
      setReloading(false);
    }
    onDone();
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Edit asset">
      <Stack gap="md">
        {isStale(save.error) ? <ConflictAlert assetId={asset.id} onReload={() => void reload()} reloading={reloading} /> : null}
        {save.error && !isStale(save.error) && (errors.rest.length > 0 || errors.byKey.size === 0) ? <ErrorAlert error={save.error} title={refusalTitle(save.error, "save the asset")} /> : null}
        {save.error && errors.byKey.size > 0 && errors.rest.length === 0 ? (
          <Alert color="red" title="Nothing was saved" role="alert">
            The service refused {errors.byKey.size === 1 ? "one value" : `${errors.byKey.size} values`}: see the messages by the inputs.
          </Alert>
        ) : null}
        {nothingChanged ? (
          <Alert color="gray" title="Nothing to save" role="status">
            No value differs from the asset as it was opened.
          </Alert>
        ) : null}
        <AttributeInputs catalog={catalog} draft={draft} onChange={setDraft} errors={errors.byKey} focusName />
        <CustomFieldInputs catalog={catalog} draft={draft} onChange={setDraft} errors={errors.byKey} held={opened} />
        <Group gap="sm">
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
          <Button variant="default" onClick={onDone} disabled={save.isPending}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
