import { Fieldset, Select, SimpleGrid, TagsInput, Text, Textarea, TextInput } from "@mantine/core";
import type { Field } from "../api/types";
import { applies, categoryPathName, fieldGroups, statusesOf, type Catalog } from "./catalog";
import { formatValue, toDraft, type Draft, type DraftValue } from "./draft";
import { FieldInput } from "./field-input";

// The inputs of an asset's form, shared by the edit mode and the create form:
// the asset model's attributes, then the custom fields grouped by category.

export const ATTRIBUTE_KEYS = ["name", "category", "status", "site_id", "tags", "description"] as const;

/** The kind of input (and of value sent) behind each key of a draft. */
export function typeOfKey(catalog: Catalog, key: string): Field["type"] | "tags" {
  if (key === "tags") return "tags";
  if (key === "description") return "MultiLineText";
  if (key === "category" || key === "status" || key === "site_id") return "Select";
  return catalog.fieldByName.get(key)?.type ?? "SingleLineText";
}

/** A draft of every attribute and custom field from a stored asset (or an empty one). */
export function draftOf(catalog: Catalog, asset: Record<string, unknown>): Draft {
  const draft: Draft = {};
  for (const key of ATTRIBUTE_KEYS) draft[key] = toDraft(typeOfKey(catalog, key), asset[key]);
  for (const field of catalog.fields) draft[field.name] = toDraft(field.type, asset[field.name]);
  return draft;
}

/** The keys the API takes for an asset of the draft's category: the attributes and the fields that apply. */
export function writableKeys(catalog: Catalog, draft: Draft): string[] {
  const category = typeof draft.category === "string" ? draft.category : null;
  return [...ATTRIBUTE_KEYS, ...catalog.fields.filter((f) => applies(catalog, category, f.name)).map((f) => f.name)];
}

interface InputsProps {
  catalog: Catalog;
  draft: Draft;
  onChange: (next: Draft) => void;
  errors: Map<string, string>;
  disabled?: boolean;
}

interface AttributeInputsProps extends InputsProps {
  /** The edit mode starts at the name; the create form at its heading. */
  focusName?: boolean;
}

/**
 * A new category keeps the status when its set has it, else takes the set's
 * first, as the API would (docs/assets.md): the select then shows what will be stored.
 */
function withCategory(catalog: Catalog, draft: Draft, category: string | null): Draft {
  const statuses = statusesOf(catalog, category);
  const status = typeof draft.status === "string" && statuses.some((s) => s.id === draft.status) ? draft.status : (statuses[0]?.id ?? null);
  return { ...draft, category, status };
}

export function AttributeInputs({ catalog, draft, onChange, errors, disabled, focusName }: AttributeInputsProps) {
  const set = (key: string) => (value: DraftValue) => onChange({ ...draft, [key]: value });
  const category = typeof draft.category === "string" ? draft.category : null;
  const statuses = statusesOf(catalog, category);
  const categoryOptions = catalog.categories.map((c) => ({ value: c.id, label: categoryPathName(catalog, c.id) })).sort((a, b) => a.label.localeCompare(b.label));
  return (
    <Fieldset legend="Attributes" disabled={disabled}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
        <TextInput label="Name" required autoFocus={focusName} value={String(draft.name ?? "")} onChange={(e) => set("name")(e.currentTarget.value)} error={errors.get("name")} />
        <Select
          label="Category"
          data={categoryOptions}
          value={category}
          onChange={(value) => onChange(withCategory(catalog, draft, value))}
          clearable
          searchable
          error={errors.get("category")}
        />
        <Select
          label="Status"
          data={statuses.map((s) => ({ value: s.id, label: s.name }))}
          value={typeof draft.status === "string" ? draft.status : null}
          onChange={set("status")}
          disabled={disabled || statuses.length === 0}
          description={category === null ? "Choose a category first" : statuses.length === 0 ? "The category has no status set" : undefined}
          clearable
          error={errors.get("status")}
        />
        <Select
          label="Site"
          data={catalog.sites.map((s) => ({ value: s.id, label: s.name === s.id ? s.id : `${s.name} (${s.id})` }))}
          value={typeof draft.site_id === "string" ? draft.site_id : null}
          onChange={set("site_id")}
          clearable
          searchable
          error={errors.get("site_id")}
        />
        <TagsInput
          label="Tags"
          description="Press Enter or a comma after each tag"
          value={Array.isArray(draft.tags) ? draft.tags : []}
          onChange={set("tags")}
          clearable
          error={errors.get("tags")}
        />
        <Textarea label="Description" value={String(draft.description ?? "")} onChange={(e) => set("description")(e.currentTarget.value)} autosize minRows={2} maxRows={8} error={errors.get("description")} />
      </SimpleGrid>
    </Fieldset>
  );
}

/** The custom fields of the draft's category, one fieldset per category; values that do not apply are shown, not editable. */
export function CustomFieldInputs({ catalog, draft, onChange, errors, disabled, held }: InputsProps & { held: Record<string, unknown> }) {
  const category = typeof draft.category === "string" ? draft.category : null;
  const heldNames = Object.keys(held).filter((key) => catalog.fieldByName.has(key) && held[key] !== undefined);
  return (
    <>
      {fieldGroups(catalog, category, heldNames).map((group) => (
        <Fieldset key={group.title} legend={group.title} disabled={disabled}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            {group.fields.map((field) =>
              applies(catalog, category, field.name) ? (
                <FieldInput key={field.name} field={field} value={draft[field.name] ?? null} onChange={(value) => onChange({ ...draft, [field.name]: value })} error={errors.get(field.name)} />
              ) : (
                <div key={field.name}>
                  <Text size="sm" fw={500}>
                    {field.name}
                  </Text>
                  <Text size="sm">{formatValue(held[field.name])}</Text>
                  <Text size="xs" c="dimmed">
                    Does not apply to this category: kept, but cannot be changed here.
                  </Text>
                </div>
              ),
            )}
          </SimpleGrid>
        </Fieldset>
      ))}
    </>
  );
}
