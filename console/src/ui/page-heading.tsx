import { Group, Text, Title } from "@mantine/core";
import { useEffect, useRef, type ReactNode } from "react";

/** A page's heading, focused on arrival (after the login, from a link: where a screen reader starts), with its main actions beside it. */
export function PageHeading({ title, description, action }: { title: ReactNode; description?: string; action?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Group justify="space-between" align="flex-end" gap="sm">
      <div>
        <Title order={1} size="h2" ref={heading} tabIndex={-1} style={{ outline: "none" }}>
          {title}
        </Title>
        {description ? (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        ) : null}
      </div>
      {action}
    </Group>
  );
}
