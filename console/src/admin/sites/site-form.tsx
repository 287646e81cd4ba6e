import { Button, Group, Stack, Textarea, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { FormModal } from "../form-modal";
import { useState, type FormEvent } from "react";
import { api, data } from "../../api/client";
import { AdminError } from "../admin-error";
import type { Site } from "../admin-types";
import { suggestId } from "../slug";

export function SiteForm({ site, onSaved, onClose }: { site: Site | null; onSaved: () => void; onClose: () => void }) {
  const [name, setName] = useState(site?.name ?? "");
  const [id, setId] = useState(site?.id ?? "");
  const [idTyped, setIdTyped] = useState(site !== null);
  const [description, setDescription] = useState(site?.description ?? "");

  const save = useMutation({
    mutationFn: async () => {
      if (site) return data(api.PATCH("/api/v4/sites/{site_id}", { params: { path: { site_id: site.id } }, body: { name, description } }));
      return data(api.POST("/api/v4/sites", { body: { id: id.trim(), name, description } }));
    },
    onSuccess: onSaved,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <FormModal onClose={onClose} title={site ? `Site “${site.name}”` : "New site"}>
      <form onSubmit={submit}>
        <Stack gap="sm">
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
            description={site ? "IDs do not change" : "Letters, digits and hyphens; imports name the site by it"}
            value={id}
            onChange={(e) => {
              setId(e.currentTarget.value);
              setIdTyped(true);
            }}
            disabled={site !== null}
            required
          />
          <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} maxRows={6} />
          {save.isError ? <AdminError error={save.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {site ? "Save" : "Create site"}
            </Button>
          </Group>
        </Stack>
      </form>
    </FormModal>
  );
}
