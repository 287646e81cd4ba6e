import { Anchor, Button, Grid, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link } from "wouter";
import { canWriteAssets, useCurrentUser } from "../app/use-session";
import { ErrorAlert } from "../ui/error-alert";
import { getAsset } from "./asset-api";
import { AssetAttributes, AssetFieldValues } from "./asset-details";
import { AssetHistory } from "./asset-history";
import { useCatalog } from "./catalog";
import { DeleteButton, DeletedBanner } from "./delete-controls";
import { assetKey, EditForm } from "./edit-form";
import classes from "./asset.module.css";

/** /assets/:id: one asset's attributes and fields by category, its edit mode and its history. */
export default function AssetPage({ assetId }: { assetId: string }) {
  const me = useCurrentUser();
  const canEdit = me.data !== undefined && canWriteAssets(me.data);
  const asset = useQuery({ queryKey: assetKey(assetId), queryFn: () => getAsset(assetId) });
  const catalog = useCatalog();
  const [editing, setEditing] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = asset.data !== undefined;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded, assetId]);

  // Leaving the edit mode removes the focused button: the heading takes the focus back, where the page starts.
  const stopEditing = () => {
    setEditing(false);
    heading.current?.focus();
  };

  const data = asset.data;
  const deleted = data !== undefined && !data.is_active;
  return (
    <Stack gap="md">
      <Anchor component={Link} href="/assets" size="sm">
        ← All assets
      </Anchor>
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={1} size="h2" ref={heading} tabIndex={-1} className={classes.heading}>
            {data ? data.name : assetId}
          </Title>
          {data ? (
            <Text size="sm" c="dimmed" ff="monospace">
              {data.id}
            </Text>
          ) : null}
        </div>
        {data && canEdit && !editing && !deleted ? (
          <Group gap="sm">
            <Button onClick={() => setEditing(true)} disabled={!catalog.data}>
              Edit
            </Button>
            <DeleteButton asset={data} />
          </Group>
        ) : null}
      </Group>
      {asset.isError ? <ErrorAlert error={asset.error} title="The asset could not be read" onRetry={() => void asset.refetch()} /> : null}
      {catalog.isError ? <ErrorAlert error={catalog.error} title="The fields and categories could not be read" onRetry={() => void catalog.refetch()} /> : null}
      {asset.isPending || catalog.isPending ? <Skeleton h={240} /> : null}
      {data && deleted ? <DeletedBanner asset={data} canRestore={canEdit} /> : null}
      {data && catalog.data ? (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 7 }}>
            {editing && !deleted ? (
              <EditForm asset={data} catalog={catalog.data} onDone={stopEditing} onReload={() => asset.refetch()} />
            ) : (
              <Stack gap="md">
                <AssetAttributes asset={data} catalog={catalog.data} />
                <AssetFieldValues asset={data} catalog={catalog.data} />
              </Stack>
            )}
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <AssetHistory assetId={data.id} version={data.version} />
          </Grid.Col>
        </Grid>
      ) : null}
    </Stack>
  );
}
