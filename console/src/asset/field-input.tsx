import { Checkbox, MultiSelect, Select, Textarea, TextInput } from "@mantine/core";
import type { Field } from "../api/types";
import type { DraftValue } from "./draft";

interface FieldInputProps {
  field: Field;
  value: DraftValue;
  onChange: (value: DraftValue) => void;
  error?: string;
  disabled?: boolean;
}

const HINTS: Partial<Record<Field["type"], string>> = {
  Number: "A number, e.g. 12.5",
  Integer: "A whole number",
  DateTime: "e.g. 2025-03-04T09:30:00Z",
  URL: "https://…",
  Email: "name@example.com",
};

/** The input that fits the field's type (docs/fields.md); the API checks what is typed. */
export function FieldInput({ field, value, onChange, error, disabled }: FieldInputProps) {
  const common = { label: field.name, description: field.description || undefined, error, disabled };
  const text = typeof value === "string" ? value : "";
  switch (field.type) {
    case "Checkbox":
      return <Checkbox {...common} checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} mt="xs" />;
    case "Select":
      return <Select {...common} data={field.options ?? []} value={typeof value === "string" ? value : null} onChange={onChange} clearable searchable />;
    case "MultiSelect":
      return <MultiSelect {...common} data={field.options ?? []} value={Array.isArray(value) ? value : []} onChange={onChange} clearable searchable />;
    case "MultiLineText":
      return <Textarea {...common} value={text} onChange={(event) => onChange(event.currentTarget.value)} autosize minRows={2} maxRows={8} />;
    case "Date":
      return <TextInput {...common} type="date" value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
    case "Number":
    case "Integer":
    case "Decimal":
      return (
        <TextInput
          {...common}
          inputMode={field.type === "Integer" ? "numeric" : "decimal"}
          placeholder={field.type === "Decimal" ? `Up to ${field.precision ?? 2} decimals` : HINTS[field.type]}
          value={text}
          onChange={(event) => onChange(event.currentTarget.value)}
        />
      );
    case "URL":
    case "Email":
      return <TextInput {...common} type={field.type === "URL" ? "url" : "email"} placeholder={HINTS[field.type]} value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
    default:
      return <TextInput {...common} placeholder={HINTS[field.type]} value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
  }
}
