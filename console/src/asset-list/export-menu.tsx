import { Button, Menu } from "@mantine/core";
import { useMutation, type UseMutationResult } from "@tanstack/react-query";
import { exportAssets, type ExportFormat } from "./assets-api";

const FORMATS: Array<{ format: ExportFormat; label: string }> = [
  { format: "csv", label: "CSV" },
  { format: "xlsx", label: "Excel (XLSX)" },
  { format: "json", label: "JSON" },
  { format: "ndjson", label: "NDJSON" },
];

export type ExportMutation = UseMutationResult<void, Error, ExportFormat>;

/** Downloads the view (filters, search and order; every page, the import-ready columns) as a file. */
export function useExport(params: URLSearchParams): ExportMutation {
  return useMutation({ mutationFn: (format: ExportFormat) => exportAssets(params, format) });
}

export function ExportMenu({ download }: { download: ExportMutation }) {
  return (
    <Menu position="bottom-end" shadow="md">
      <Menu.Target>
        <Button variant="default" loading={download.isPending}>
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Every asset of this view</Menu.Label>
        {FORMATS.map(({ format, label }) => (
          <Menu.Item key={format} onClick={() => download.mutate(format)}>
            {label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
