import { Group, Radio, Stack, Switch, Text } from "@mantine/core";
import type { ImportFormat } from "../api/types";
import { decimalSeparator, takesCells, type DecimalSeparator, type ImportOptions } from "./options";

interface Props {
  options: ImportOptions;
  onOptions: (options: ImportOptions) => void;
  format: ImportFormat;
  /** The preview's suggestion, from the numbers it sampled. */
  detectedDecimal: DecimalSeparator | undefined;
}

interface ChoiceProps<T extends string> {
  label: string;
  description: string;
  value: T;
  onChange: (value: T) => void;
  choices: Array<{ value: T; label: string }>;
  note?: string | null;
}

function Choice<T extends string>({ label, description, value, onChange, choices, note }: ChoiceProps<T>) {
  return (
    <Radio.Group label={label} description={description} value={value} onChange={(next) => onChange(next as T)}>
      <Group mt="xs">
        {choices.map((choice) => (
          <Radio key={choice.value} value={choice.value} label={choice.label} />
        ))}
      </Group>
      {note ? (
        <Text size="sm" c="dimmed" mt={6}>
          {note}
        </Text>
      ) : null}
    </Radio.Group>
  );
}

/** Step 3: how the import treats failures, unknown keys, empty cells, nulls and decimals. */
export function OptionsStep({ options, onOptions, format, detectedDecimal }: Props) {
  const set = <K extends keyof ImportOptions>(key: K, value: ImportOptions[K]) => onOptions({ ...options, [key]: value });
  return (
    <Stack gap="lg" maw={720}>
      <Switch
        label="All or none"
        description="If any entry fails, nothing is imported: the report says why each one failed."
        checked={options.all_or_none}
        onChange={(event) => set("all_or_none", event.currentTarget.checked)}
      />
      <Choice
        label="Unknown fields"
        description="A column that matches no field: a warning and the value is left out, or the whole entry fails."
        value={options.unknown_fields}
        onChange={(value) => set("unknown_fields", value)}
        choices={[
          { value: "warn", label: "Warn" },
          { value: "reject", label: "Fail the entry" },
        ]}
      />
      {takesCells(format) ? (
        <>
          <Choice
            label="Empty cells"
            description="An empty cell leaves the asset's field as it is, or clears it."
            value={options.empty_values}
            onChange={(value) => set("empty_values", value)}
            choices={[
              { value: "ignore", label: "Leave the field as it is" },
              { value: "clear", label: "Clear the field" },
            ]}
          />
          <Choice
            label="Decimal separator"
            description="How numbers are written in text cells: 3.20 and 1,234.56, or 3,20 and 1.234,56."
            value={decimalSeparator(options, detectedDecimal)}
            onChange={(value) => set("decimal_separator", value)}
            note={options.decimal_separator === null && detectedDecimal ? `Detected from the file: decimal ${detectedDecimal === "," ? "comma" : "point"}` : null}
            choices={[
              { value: ".", label: "Point (3.20)" },
              { value: ",", label: "Comma (3,20)" },
            ]}
          />
        </>
      ) : (
        <Choice
          label="null values"
          description="A value of null clears the asset's field, or leaves it as it is."
          value={options.null_values}
          onChange={(value) => set("null_values", value)}
          choices={[
            { value: "clear", label: "Clear the field" },
            { value: "ignore", label: "Leave the field as it is" },
          ]}
        />
      )}
    </Stack>
  );
}
