import { Stack, Title } from "@mantine/core";

export default function AssetListPage() {
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Assets
      </Title>
    </Stack>
  );
}
