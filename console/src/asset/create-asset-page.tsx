import { Stack, Title } from "@mantine/core";

export default function CreateAssetPage() {
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        New asset
      </Title>
    </Stack>
  );
}
