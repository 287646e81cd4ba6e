import { Stack, Title } from "@mantine/core";

export default function AdminPage({ section }: { section: string }) {
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Registry: {section}
      </Title>
    </Stack>
  );
}
