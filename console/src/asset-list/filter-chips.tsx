import { Badge, Button, CloseButton } from "@mantine/core";
import type { Column, Names } from "./columns";
import { describeFilter } from "./filters";
import type { ViewFilter } from "./view";
import classes from "./asset-list.module.css";

/** The view's filters in words, each removable. */
export function FilterChips({ filters, columns, names, onRemove, onClear }: { filters: ViewFilter[]; columns: Column[]; names: Names; onRemove: (index: number) => void; onClear: () => void }) {
  if (filters.length === 0) return null;
  const byKey = new Map(columns.map((c) => [c.key, c]));
  return (
    <ul className={classes.chips} aria-label="Filters">
      {filters.map((filter, index) => {
        const words = describeFilter(filter, byKey.get(filter.field), names);
        return (
          <li key={`${filter.field}|${filter.op}`}>
            <Badge
              variant="light"
              size="lg"
              tt="none"
              fw={500}
              rightSection={<CloseButton size="xs" aria-label={`Remove filter: ${words}`} onClick={() => onRemove(index)} />}
            >
              {words}
            </Badge>
          </li>
        );
      })}
      {filters.length > 1 ? (
        <li>
          <Button variant="subtle" size="compact-sm" onClick={onClear}>
            Clear filters
          </Button>
        </li>
      ) : null}
    </ul>
  );
}
