import { Paper, SimpleGrid, Text } from "@mantine/core";
import type { ImportStatus } from "../api/types";
import { failedCount, formatCount } from "../ui/format";

interface Count {
  key: string;
  label: string;
  value: number | undefined;
  color?: string;
}

/** What the entries did (or, in a dry run, would do). */
export function ImportCounts({ status }: { status: ImportStatus }) {
  const { stats, actions } = status;
  const dry = status.options.dry_run;
  const counts: Count[] = [
    { key: "created", label: dry ? "Would be created" : "Created", value: actions?.created },
    { key: "updated", label: dry ? "Would be updated" : "Updated", value: actions?.updated },
    { key: "unchanged", label: dry ? "Would be unchanged" : "Unchanged", value: actions?.unchanged },
    { key: "warnings", label: dry ? "Would warn" : "With warnings", value: stats.warning_count, color: "yellow.8" },
    { key: "failed", label: dry ? "Would fail" : "Failed", value: failedCount(stats), color: "red.7" },
  ];
  // A cancelled or failed import's entries it never reached: not failures, and shown apart.
  if (stats.unprocessed_count) counts.push({ key: "unprocessed", label: "Not processed", value: stats.unprocessed_count, color: "orange.8" });
  return (
    <SimpleGrid cols={{ base: 2, sm: counts.length }} spacing="sm" component="dl" m={0}>
      {counts.map((count) => (
        <Paper key={count.key} withBorder p="sm">
          <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
            {count.label}
          </Text>
          <Text component="dd" m={0} fz="xl" fw={700} c={count.value ? count.color : undefined} data-testid={`count-${count.key}`}>
            {formatCount(count.value)}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
