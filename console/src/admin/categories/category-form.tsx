import { Group, Select } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import type { Category, Field, StatusSet } from "../admin-types";
import { FormDialog } from "../form-dialog";
import { NameAndIdInputs, useNameAndId } from "../name-and-id";
import { isWithin, treeRows } from "./category-tree";
import { OrderedFields } from "./ordered-fields";

// The choice of no own set; a real set could be named "inherit" too, so it is told apart by a character no ID has.
const INHERIT = "(inherit)";

interface Props {
  category: Category | null;
  /** For a new subcategory. */
  parentId?: string | null;
  categories: Category[];
  statusSets: StatusSet[];
  fields: Field[];
  onSaved: () => void;
  onClose: () => void;
}

/** Create or change a category; a new parent moves it with its subcategories. */
export function CategoryForm({ category, parentId = null, categories, statusSets, fields, onSaved, onClose }: Props) {
  const named = useNameAndId(category?.name ?? "", category?.id ?? "", category !== null);
  const { name, id } = named;
  const [parent, setParent] = useState<string | null>(category ? category.parent_id : parentId);
  const [statusSet, setStatusSet] = useState<string>(category?.status_set_id ?? INHERIT);
  const [own, setOwn] = useState<string[]>(category?.fields ?? []);

  const parentCategory = categories.find((c) => c.id === parent) ?? null;
  const inherited = parentCategory?.effective_fields ?? [];
  const inheritedSet = statusSets.find((s) => s.id === parentCategory?.effective_status_set_id);

  const save = useMutation({
    mutationFn: async () => {
      const body = { name, parent_id: parent, status_set_id: statusSet === INHERIT ? null : statusSet, fields: own };
      if (category) return data(api.PATCH("/api/v4/categories/{category_id}", { params: { path: { category_id: category.id } }, body }));
      return data(api.POST("/api/v4/categories", { body: { id: id.trim(), ...body } }));
    },
    onSuccess: onSaved,
  });

  // A category cannot move below itself; the service says so too (400), this keeps it out of the list.
  const parents = treeRows(categories)
    .filter(({ category: c }) => !category || !isWithin(c, category.id))
    .map(({ category: c, depth }) => ({ value: c.id, label: `${"— ".repeat(depth)}${c.name}` }));

  return (
    <FormDialog onClose={onClose} title={category ? `Category “${category.name}”` : "New category"} size="lg" save={save} submitLabel={category ? "Save" : "Create category"}>
      <Group grow align="flex-start">
        <NameAndIdInputs value={named} idLabel="ID" idDescription={category ? "IDs do not change" : "Letters, digits and hyphens"} idDisabled={category !== null} />
      </Group>
      <Select
        label="Parent"
        description={category ? "Another parent moves the category with its subcategories." : undefined}
        placeholder="None: a top category"
        data={parents}
        value={parent}
        onChange={setParent}
        searchable
        clearable
        comboboxProps={{ withinPortal: true }}
      />
      <Select
        label="Status set"
        data={[{ value: INHERIT, label: inheritedSet ? `The parent's (${inheritedSet.name})` : "None (or the parent's)" }, ...statusSets.map((s) => ({ value: s.id, label: s.name }))]}
        value={statusSet}
        onChange={(value) => setStatusSet(value ?? INHERIT)}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
      <OrderedFields value={own} onChange={setOwn} available={fields.map((f) => f.name)} inherited={inherited} />
    </FormDialog>
  );
}
