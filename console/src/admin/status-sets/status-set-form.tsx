import { Button, Group, Stack, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { FormModal } from "../form-modal";
import { useState, type FormEvent } from "react";
import { api, data } from "../../api/client";
import { AdminError } from "../admin-error";
import type { StatusSet } from "../admin-types";
import { suggestId } from "../slug";
import { statusRow, StatusListEditor, type StatusRow } from "./status-list-editor";

export function StatusSetForm({ set, onSaved, onClose }: { set: StatusSet | null; onSaved: () => void; onClose: () => void }) {
  const [name, setName] = useState(set?.name ?? "");
  const [id, setId] = useState(set?.id ?? "");
  const [idTyped, setIdTyped] = useState(set !== null);
  const [rows, setRows] = useState<StatusRow[]>(() => (set ? set.statuses.map((s) => statusRow(s.id, s.name, true)) : [statusRow("", "", false)]));

  const save = useMutation({
    mutationFn: async () => {
      const statuses = rows.map((row) => ({ id: row.id.trim(), name: row.name }));
      if (set) return data(api.PATCH("/api/v4/status-sets/{status_set_id}", { params: { path: { status_set_id: set.id } }, body: { name, statuses } }));
      return data(api.POST("/api/v4/status-sets", { body: { id: id.trim(), name, statuses } }));
    },
    onSuccess: onSaved,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <FormModal onClose={onClose} title={set ? `Status set “${set.name}”` : "New status set"} size="xl">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Group grow align="flex-start">
            <TextInput
              label="Name"
              value={name}
              onChange={(e) => {
                const next = e.currentTarget.value;
                setName(next);
                if (!idTyped) setId(suggestId(next));
              }}
              required
              data-autofocus
            />
            <TextInput
              label="ID"
              description={set ? "IDs do not change" : "Letters, digits and hyphens"}
              value={id}
              onChange={(e) => {
                setId(e.currentTarget.value);
                setIdTyped(true);
              }}
              disabled={set !== null}
              required
            />
          </Group>
          <StatusListEditor rows={rows} onChange={setRows} />
          {save.isError ? <AdminError error={save.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {set ? "Save" : "Create status set"}
            </Button>
          </Group>
        </Stack>
      </form>
    </FormModal>
  );
}
