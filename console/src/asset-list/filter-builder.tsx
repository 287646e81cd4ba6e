import { Button, Checkbox, Group, MultiSelect, NumberInput, Paper, SegmentedControl, Select, Stack, TagsInput, TextInput } from "@mantine/core";
import { useState } from "react";
import type { Category } from "../api/types";
import type { Column, Names } from "./columns";
import { filterKind, listFilter } from "./filters";
import type { ViewFilter } from "./view";

interface Props {
  columns: Column[];
  names: Names;
  categories: Category[];
  onAdd: (filters: ViewFilter[]) => void;
  onClose: () => void;
}

/** Picks a field, then a filter fitting its type; "Add" puts it in the view. */
export function FilterBuilder({ columns, names, categories, onAdd, onClose }: Props) {
  const [key, setKey] = useState<string | null>(null);
  const column = columns.find((c) => c.key === key);
  return (
    <Paper withBorder p="sm" component="section" aria-label="New filter">
      <Stack gap="sm">
        <Select
          label="Filter by"
          placeholder="Choose a field"
          data={columns.map((c) => ({ value: c.key, label: c.system ? c.label : `${c.label} (${c.type})` }))}
          value={key}
          onChange={setKey}
          searchable
          maw={360}
        />
        {column ? <FilterEditor key={column.key} column={column} names={names} categories={categories} onAdd={onAdd} onClose={onClose} /> : null}
        {column ? null : (
          <Group>
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function FilterEditor({ column, names, categories, onAdd, onClose }: { column: Column; names: Names; categories: Category[]; onAdd: (filters: ViewFilter[]) => void; onClose: () => void }) {
  const kind = filterKind(column);
  const field = column.key;
  const [text, setText] = useState("");
  const [textOp, setTextOp] = useState<"contains" | "eq">("contains");
  const [from, setFrom] = useState<string | number>("");
  const [to, setTo] = useState<string | number>("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [one, setOne] = useState<string | null>(null);
  const [below, setBelow] = useState(true);
  const [match, setMatch] = useState<"in" | "all">("in");
  const [checked, setChecked] = useState<"true" | "false">("true");

  const range = (toValue: (value: string, end: boolean) => string): ViewFilter[] => [
    ...(String(from) !== "" ? [{ field, op: "gte" as const, values: [toValue(String(from), false)] }] : []),
    ...(String(to) !== "" ? [{ field, op: "lte" as const, values: [toValue(String(to), true)] }] : []),
  ];

  const built = (): ViewFilter[] => {
    switch (kind) {
      case "text":
        return text === "" ? [] : [{ field, op: textOp, values: [text] }];
      case "number":
      case "date":
        return range((v) => v);
      case "datetime":
        // A day's range in UTC, as the API reads a plain date for the system times.
        return range((v, end) => (end ? `${v}T23:59:59.999Z` : `${v}T00:00:00.000Z`));
      case "checkbox":
        return [{ field, op: "eq", values: [checked] }];
      case "category":
        return one ? [{ field, op: below ? "under" : "eq", values: [one] }] : [];
      case "tags":
        return listFilter(field, chosen, match);
      default:
        return listFilter(field, chosen);
    }
  };
  const filters = built();

  const choices =
    kind === "status"
      ? [...names.statuses].map(([value, label]) => ({ value, label }))
      : kind === "site"
        ? [...names.sites.values()].map((s) => ({ value: s.id, label: s.name }))
        : (column.options ?? []).map((o) => ({ value: o, label: o }));

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (filters.length > 0) onAdd(filters);
      }}
    >
      <Stack gap="sm">
        {kind === "text" ? (
          <Group align="flex-end" wrap="wrap">
            <SegmentedControl
              aria-label="Match"
              value={textOp}
              onChange={(v) => setTextOp(v as "contains" | "eq")}
              data={[
                { value: "contains", label: "contains" },
                { value: "eq", label: "equals" },
              ]}
            />
            <TextInput label={`${column.label} text`} value={text} onChange={(e) => setText(e.currentTarget.value)} miw={220} />
          </Group>
        ) : null}
        {kind === "number" ? (
          <Group wrap="wrap">
            <NumberInput label={`${column.label} from`} value={from} onChange={setFrom} w={160} />
            <NumberInput label={`${column.label} to`} value={to} onChange={setTo} w={160} />
          </Group>
        ) : null}
        {kind === "date" || kind === "datetime" ? (
          <Group wrap="wrap">
            <TextInput type="date" label={`${column.label} from`} value={String(from)} onChange={(e) => setFrom(e.currentTarget.value)} w={180} />
            <TextInput type="date" label={`${column.label} to`} value={String(to)} onChange={(e) => setTo(e.currentTarget.value)} w={180} />
          </Group>
        ) : null}
        {kind === "checkbox" ? (
          <SegmentedControl
            aria-label={column.label}
            value={checked}
            onChange={(v) => setChecked(v as "true" | "false")}
            data={[
              { value: "true", label: "Yes" },
              { value: "false", label: "No" },
            ]}
          />
        ) : null}
        {kind === "category" ? (
          <Group align="flex-end" wrap="wrap">
            <Select
              label="Category"
              data={categories.map((c) => ({ value: c.id, label: categoryLabel(c, names) }))}
              value={one}
              onChange={setOne}
              searchable
              miw={260}
            />
            <Checkbox label="Include subcategories" checked={below} onChange={(e) => setBelow(e.currentTarget.checked)} mb={8} />
          </Group>
        ) : null}
        {kind === "status" || kind === "site" || kind === "options" ? (
          <MultiSelect label={`${column.label} values`} data={choices} value={chosen} onChange={setChosen} searchable maw={420} />
        ) : null}
        {kind === "tags" ? (
          <Group align="flex-end" wrap="wrap">
            <TagsInput label="Tags" value={chosen} onChange={setChosen} miw={260} />
            <SegmentedControl
              aria-label="Match tags"
              value={match}
              onChange={(v) => setMatch(v as "in" | "all")}
              data={[
                { value: "in", label: "any of them" },
                { value: "all", label: "all of them" },
              ]}
            />
          </Group>
        ) : null}
        <Group>
          <Button type="submit" disabled={filters.length === 0}>
            Add filter
          </Button>
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** "IT equipment › Laptops": the path from the top, so that branches read apart. */
function categoryLabel(category: Category, names: Names): string {
  return category.path.map((id) => names.categories.get(id)?.name ?? id).join(" › ");
}
