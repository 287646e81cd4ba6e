import { Text } from "@mantine/core";

/** An item's name with its ID beside it, dimmed: imports name items by the ID. */
export function ItemName({ name, id }: { name: string; id: string }) {
  return (
    <Text fw={600}>
      {name}{" "}
      <Text span size="sm" c="dimmed">
        {id}
      </Text>
    </Text>
  );
}
