import { NumberInput, Select, Switch, TagsInput, Text, Textarea, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import type { Field, FieldType } from "../admin-types";
import { FormDialog } from "../form-dialog";
import { FIELD_TYPE_OPTIONS, hasOptions } from "./field-types";

/** Create a custom field (no `field`) or change one: type, description, options, precision, index. Names never change. */
export function FieldForm({ field, onSaved, onClose }: { field: Field | null; onSaved: () => void; onClose: () => void }) {
  const [name, setName] = useState(field?.name ?? "");
  const [type, setType] = useState<FieldType>(field?.type ?? "SingleLineText");
  const [description, setDescription] = useState(field?.description ?? "");
  const [options, setOptions] = useState<string[]>(field?.options ?? []);
  const [precision, setPrecision] = useState<number>(field?.precision ?? 2);
  const [indexed, setIndexed] = useState(field?.indexed ?? false);

  const save = useMutation({
    mutationFn: async () => {
      const settings = {
        type,
        description,
        indexed,
        ...(hasOptions(type) ? { options } : {}),
        ...(type === "Decimal" ? { precision } : {}),
      };
      if (field) return data(api.PATCH("/api/v4/asset-fields/{name}", { params: { path: { name: field.name } }, body: settings }));
      return data(api.POST("/api/v4/asset-fields", { body: { name, ...settings } }));
    },
    onSuccess: onSaved,
  });

  return (
    <FormDialog
      onClose={onClose}
      title={field ? `Field “${field.name}”` : "New field"}
      size="lg"
      save={save}
      submitLabel={field ? "Save" : "Create field"}
      progress={
        save.isPending && indexed !== (field?.indexed ?? false) ? (
          <Text size="sm" c="dimmed" role="status">
            {indexed ? "Building the index…" : "Dropping the index…"}
          </Text>
        ) : null
      }
    >
      {field ? null : (
        <TextInput
          label="Name"
          description="Case-sensitive; spaces and punctuation are allowed. Fields cannot be renamed later."
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          data-autofocus
        />
      )}
      <Select
        label="Type"
        description={field ? "A field that holds values keeps its type: clear the values first." : undefined}
        data={FIELD_TYPE_OPTIONS}
        value={type}
        onChange={(value) => value && setType(value as FieldType)}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
      {hasOptions(type) ? (
        <TagsInput
          label="Options"
          description={`Type an option and press Enter. Unique ignoring case${type === "MultiSelect" ? "; no commas" : ""}. An option an asset holds cannot be removed.`}
          value={options}
          onChange={setOptions}
          splitChars={[]}
          clearable
        />
      ) : null}
      {type === "Decimal" ? (
        <NumberInput
          label="Precision"
          description="Fractional digits, 0 to 10. It cannot be lowered while assets hold values."
          value={precision}
          onChange={(value) => setPrecision(typeof value === "number" ? value : Number(value) || 0)}
          min={0}
          max={10}
          allowDecimal={false}
          w={200}
        />
      ) : null}
      <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} maxRows={6} />
      <Switch
        label="Indexed"
        description="Keeps an index on the field's values so that filters and sorts on it stay fast with many assets. Building it takes a moment on a large registry."
        checked={indexed}
        onChange={(e) => setIndexed(e.currentTarget.checked)}
      />
    </FormDialog>
  );
}
