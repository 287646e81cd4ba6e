import { ActionIcon, Group, MultiSelect, Stack, Text } from "@mantine/core";

/** The fields a category applies, in the order its assets show them: picked, then moved up or down. */
export function OrderedFields({ value, onChange, available, inherited }: { value: string[]; onChange: (fields: string[]) => void; available: string[]; inherited: string[] }) {
  const move = (index: number, by: -1 | 1) => {
    const next = [...value];
    const [name] = next.splice(index, 1);
    next.splice(index + by, 0, name!);
    onChange(next);
  };
  return (
    <Stack gap={6}>
      <MultiSelect
        label="Fields that apply"
        description={inherited.length > 0 ? `Also from its parents: ${inherited.join(", ")}` : "Custom fields its assets hold; subcategories have them too."}
        data={available.filter((name) => !inherited.includes(name))}
        value={value}
        onChange={onChange}
        searchable
        clearable
        comboboxProps={{ withinPortal: true }}
      />
      {value.length > 1 ? (
        <Stack gap={4} component="ol" m={0} p={0} style={{ listStyle: "none" }} aria-label="Field order">
          {value.map((name, index) => (
            <Group component="li" key={name} gap="xs" wrap="nowrap">
              <Text size="sm" style={{ flex: 1 }}>
                {index + 1}. {name}
              </Text>
              <ActionIcon size="sm" variant="default" onClick={() => move(index, -1)} disabled={index === 0} aria-label={`Move ${name} up`}>
                ↑
              </ActionIcon>
              <ActionIcon size="sm" variant="default" onClick={() => move(index, 1)} disabled={index === value.length - 1} aria-label={`Move ${name} down`}>
                ↓
              </ActionIcon>
            </Group>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}
