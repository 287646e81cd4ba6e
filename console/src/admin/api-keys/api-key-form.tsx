import { Alert, Button, Code, CopyButton, Group, Stack, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import type { CreatedApiKey } from "../admin-types";
import { FormDialog } from "../form-dialog";
import { FormModal } from "../form-modal";
import { RoleSelect, type Role } from "../users/role-select";

export function NewApiKeyForm({ onCreated, onClose }: { onCreated: (key: CreatedApiKey) => void; onClose: () => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [expires, setExpires] = useState("");
  const save = useMutation({
    // datetime-local has no zone: it is the browser's local time, sent as UTC.
    mutationFn: () => data(api.POST("/api/v4/api-keys", { body: { name, role, ...(expires ? { expires_at: new Date(expires).toISOString() } : {}) } })),
    onSuccess: onCreated,
  });
  return (
    <FormDialog onClose={onClose} title="New API key" save={save} submitLabel="Create key">
      <TextInput label="Name" description="What the key is for" value={name} onChange={(e) => setName(e.currentTarget.value)} required data-autofocus />
      <RoleSelect description="The most the key may do; never more than you may do when it is used" value={role} onChange={setRole} />
      <TextInput label="Expires" description="Optional; without it the key works until deleted" type="datetime-local" value={expires} onChange={(e) => setExpires(e.currentTarget.value)} />
    </FormDialog>
  );
}

/** The secret, this once: the service keeps only its hash. */
export function ApiKeySecret({ created, onClose }: { created: CreatedApiKey; onClose: () => void }) {
  return (
    <FormModal onClose={onClose} title={`API key “${created.name}” created`} closeOnClickOutside={false}>
      <Stack gap="sm">
        <Alert color="yellow" title="Copy the key now">
          It will not be shown again: the service keeps only a hash of it. Send it as <Code>Authorization: Bearer &lt;key&gt;</Code>.
        </Alert>
        <Code block aria-label="API key secret" style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
          {created.key}
        </Code>
        <Group justify="flex-end">
          <CopyButton value={created.key}>
            {({ copied, copy }) => (
              <Button variant={copied ? "light" : "filled"} color={copied ? "teal" : undefined} onClick={copy}>
                {copied ? "Copied" : "Copy key"}
              </Button>
            )}
          </CopyButton>
          <Button variant="default" onClick={onClose}>
            Done
          </Button>
        </Group>
      </Stack>
    </FormModal>
  );
}
