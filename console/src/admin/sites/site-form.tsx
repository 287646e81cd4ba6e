import { Textarea } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import type { Site } from "../admin-types";
import { FormDialog } from "../form-dialog";
import { NameAndIdInputs, useNameAndId } from "../name-and-id";

export function SiteForm({ site, onSaved, onClose }: { site: Site | null; onSaved: () => void; onClose: () => void }) {
  const named = useNameAndId(site?.name ?? "", site?.id ?? "", site !== null);
  const [description, setDescription] = useState(site?.description ?? "");
  const { name, id } = named;

  const save = useMutation({
    mutationFn: async () => {
      if (site) return data(api.PATCH("/api/v4/sites/{site_id}", { params: { path: { site_id: site.id } }, body: { name, description } }));
      return data(api.POST("/api/v4/sites", { body: { id: id.trim(), name, description } }));
    },
    onSuccess: onSaved,
  });

  return (
    <FormDialog onClose={onClose} title={site ? `Site “${site.name}”` : "New site"} save={save} submitLabel={site ? "Save" : "Create site"}>
      <NameAndIdInputs
        value={named}
        idLabel="ID"
        idDescription={site ? "IDs do not change" : "Letters, digits and hyphens; imports name the site by it"}
        idDisabled={site !== null}
      />
      <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} maxRows={6} />
    </FormDialog>
  );
}
