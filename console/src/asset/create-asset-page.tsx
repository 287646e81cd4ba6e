import { Alert, Anchor, Button, Fieldset, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { assetsChanged } from "../api/asset-reads";
import { ApiError } from "../api/errors";
import { assetHref } from "../app/paths";
import { canWriteAssets, useCurrentUser } from "../app/use-session";
import { ErrorAlert } from "../ui/error-alert";
import { createAsset } from "./asset-api";
import { AttributeInputs, CustomFieldInputs, draftOf, typeOfKey, writableKeys } from "./asset-inputs";
import { useCatalog } from "./catalog";
import { fromDraft, type Draft } from "./draft";
import { assetKey } from "./edit-form";
import { fieldErrors } from "./field-errors";
import { NextIdHelper } from "./next-id-helper";
import { refusalTitle } from "../ui/refusal";
import classes from "./asset.module.css";

/** /new-asset: a new asset with the fields of its category; the ID from a series if wanted. */
export default function CreateAssetPage() {
  const me = useCurrentUser();
  const catalog = useCatalog();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [id, setId] = useState("");
  const [draft, setDraft] = useState<Draft | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (catalog.data && draft === null) setDraft(draftOf(catalog.data, {}));
  }, [catalog.data, draft]);

  const create = useMutation({
    mutationFn: createAsset,
    onSuccess: (asset) => {
      void assetsChanged(queryClient);
      queryClient.setQueryData(assetKey(asset.id), asset);
      navigate(assetHref(asset.id));
    },
  });

  if (me.data && !canWriteAssets(me.data)) {
    return (
      <Stack gap="md">
        <Title order={1} size="h2" ref={heading} tabIndex={-1} className={classes.heading}>
          New asset
        </Title>
        <Alert color="gray" title="Your role does not allow creating assets">
          Viewers can read assets; ask an admin for the editor role to create them.
        </Alert>
      </Stack>
    );
  }

  const keys = catalog.data && draft ? ["id", ...writableKeys(catalog.data, draft)] : ["id"];
  const errors = fieldErrors(create.error, keys);
  const taken = create.error instanceof ApiError && create.error.status === 409;
  if (taken) errors.byKey.set("id", "This ID is taken by another asset (a deleted one counts). Choose another ID.");

  // A refusal is about the ID it was given: another one starts afresh.
  const changeId = (value: string) => {
    setId(value);
    if (create.error) create.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!catalog.data || !draft) return;
    const body: Record<string, unknown> = { id: id.trim() };
    // Only what was filled in: an empty input is no value, which a new asset has anyway.
    for (const key of writableKeys(catalog.data, draft)) {
      const value = fromDraft(typeOfKey(catalog.data, key), draft[key] ?? null);
      if (value !== null && value !== false && !(Array.isArray(value) && value.length === 0) && value !== "") body[key] = value;
    }
    create.mutate(body);
  };

  return (
    <Stack gap="md" maw={960}>
      <Anchor component={Link} href="/assets" size="sm">
        ← All assets
      </Anchor>
      <Title order={1} size="h2" ref={heading} tabIndex={-1} className={classes.heading}>
        New asset
      </Title>
      {catalog.isError ? <ErrorAlert error={catalog.error} title="The fields and categories could not be read" onRetry={() => void catalog.refetch()} /> : null}
      {catalog.data && draft ? (
        <form onSubmit={submit} noValidate aria-label="New asset">
          <Stack gap="md">
            {taken ? <ErrorAlert error={create.error} title="That ID is taken" /> : null}
            {create.error && !taken && (errors.rest.length > 0 || errors.byKey.size === 0) ? <ErrorAlert error={create.error} title={refusalTitle(create.error, "create the asset")} /> : null}
            {create.error && !taken && errors.byKey.size > 0 && errors.rest.length === 0 ? (
              <Alert color="red" title="Nothing was created" role="alert">
                The service refused {errors.byKey.size === 1 ? "one value" : `${errors.byKey.size} values`}: see the messages by the inputs.
              </Alert>
            ) : null}
            <Fieldset legend="Identity">
              <Stack gap="sm">
                <TextInput
                  label="ID"
                  required
                  description="1-63 letters, digits and dashes; it cannot change later"
                  value={id}
                  onChange={(event) => changeId(event.currentTarget.value)}
                  error={errors.byKey.get("id")}
                  maw={420}
                  classNames={{ input: classes.mono }}
                />
                <NextIdHelper onUse={changeId} />
              </Stack>
            </Fieldset>
            <AttributeInputs catalog={catalog.data} draft={draft} onChange={setDraft} errors={errors.byKey} />
            <CustomFieldInputs catalog={catalog.data} draft={draft} onChange={setDraft} errors={errors.byKey} held={{}} />
            <Group gap="sm">
              <Button type="submit" loading={create.isPending}>
                Create asset
              </Button>
              <Button variant="default" component={Link} href="/assets">
                Cancel
              </Button>
            </Group>
            <Text size="xs" c="dimmed">
              The fields shown are those of the chosen category and its parents; without a category every field applies.
            </Text>
          </Stack>
        </form>
      ) : null}
    </Stack>
  );
}
