import { Group } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import type { StatusSet } from "../admin-types";
import { FormDialog } from "../form-dialog";
import { NameAndIdInputs, useNameAndId } from "../name-and-id";
import { statusRow, StatusListEditor, type StatusRow } from "./status-list-editor";

export function StatusSetForm({ set, onSaved, onClose }: { set: StatusSet | null; onSaved: () => void; onClose: () => void }) {
  const named = useNameAndId(set?.name ?? "", set?.id ?? "", set !== null);
  const [rows, setRows] = useState<StatusRow[]>(() => (set ? set.statuses.map((s) => statusRow(s.id, s.name, true)) : [statusRow("", "", false)]));
  const { name, id } = named;

  const save = useMutation({
    mutationFn: async () => {
      const statuses = rows.map((row) => ({ id: row.id.trim(), name: row.name }));
      if (set) return data(api.PATCH("/api/v4/status-sets/{status_set_id}", { params: { path: { status_set_id: set.id } }, body: { name, statuses } }));
      return data(api.POST("/api/v4/status-sets", { body: { id: id.trim(), name, statuses } }));
    },
    onSuccess: onSaved,
  });

  return (
    <FormDialog onClose={onClose} title={set ? `Status set “${set.name}”` : "New status set"} size="xl" save={save} submitLabel={set ? "Save" : "Create status set"}>
      <Group grow align="flex-start">
        <NameAndIdInputs value={named} idLabel="ID" idDescription={set ? "IDs do not change" : "Letters, digits and hyphens"} idDisabled={set !== null} />
      </Group>
      <StatusListEditor rows={rows} onChange={setRows} />
    </FormDialog>
  );
}
