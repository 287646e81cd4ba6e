import { Stack, Title } from "@mantine/core";

export default function AssetPage({ assetId }: { assetId: string }) {
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Asset {assetId}
      </Title>
    </Stack>
  );
}
