import { Button, Group, Stack, Title } from "@mantine/core";
import { useEffect, useRef } from "react";
import { Link } from "wouter";
import { canImport, useCurrentUser } from "../app/use-session";

export default function DashboardPage() {
  const me = useCurrentUser();
  // Arriving here (after the login, from a link) puts the focus on the page's heading, where a screen reader starts.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2" ref={heading} tabIndex={-1}>
          Dashboard
        </Title>
        {canImport(me.data) ? (
          <Button component={Link} href="/imports/new">
            Import
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}
