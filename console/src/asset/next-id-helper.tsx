import { Button, Group, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { describeError } from "../api/errors";
import { nextId } from "./asset-api";

/**
 * The series helper: a prefix ("ASSET-") gives the next free ID of its series
 * (GET /assets/next-id, which reserves nothing), and one click puts it in the ID.
 */
export function NextIdHelper({ onUse }: { onUse: (id: string) => void }) {
  const [prefix, setPrefix] = useState("");
  const [debounced] = useDebouncedValue(prefix, 250);
  const suggestion = useQuery({
    queryKey: ["asset-page", "next-id", debounced],
    queryFn: () => nextId(debounced),
    enabled: debounced !== "",
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const next = debounced !== "" && prefix === debounced ? suggestion.data?.next_id : undefined;
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <TextInput
        label="ID series"
        description="Type a prefix to get its next free ID"
        placeholder="e.g. LAPTOP-"
        value={prefix}
        onChange={(event) => setPrefix(event.currentTarget.value)}
        error={suggestion.isError ? describeError(suggestion.error) : undefined}
        w={220}
      />
      {next ? (
        <Button variant="light" onClick={() => onUse(next)} aria-label={`Use ${next} as the ID`}>
          Use {next}
        </Button>
      ) : null}
      {next ? (
        <Text size="xs" c="dimmed" mb={10}>
          Not reserved: someone else may take it first.
        </Text>
      ) : null}
    </Group>
  );
}
