import type { FieldType } from "../admin-types";

export const FIELD_TYPE_OPTIONS: { value: FieldType; label: string }[] = [
  { value: "SingleLineText", label: "Text, one line" },
  { value: "MultiLineText", label: "Text, several lines" },
  { value: "Number", label: "Number" },
  { value: "Integer", label: "Integer" },
  { value: "Decimal", label: "Decimal" },
  { value: "Checkbox", label: "Checkbox" },
  { value: "Date", label: "Date" },
  { value: "DateTime", label: "Date and time" },
  { value: "Select", label: "Select (one option)" },
  { value: "MultiSelect", label: "Multi-select (several options)" },
  { value: "URL", label: "URL" },
  { value: "Email", label: "Email" },
];

export const hasOptions = (type: FieldType | null) => type === "Select" || type === "MultiSelect";

export function typeLabel(type: FieldType): string {
  return FIELD_TYPE_OPTIONS.find((o) => o.value === type)?.label ?? type;
}
