import { Alert, Button, Group, Paper, SegmentedControl, Select, Stack, Text, Textarea } from "@mantine/core";
import { Dropzone } from "@mantine/dropzone";
import { useRef, useState } from "react";
import type { ImportFormat, Preview } from "../api/types";
import { FORMAT_LABELS, formatBytes } from "../ui/format";
import { ACCEPT, detectPastedFormat, fileSource, textSource, type Charset, type Delimiter, type ImportSource, type Reading } from "./source";

const DELIMITERS: Array<{ value: Delimiter; label: string }> = [
  { value: ",", label: "comma ," },
  { value: ";", label: "semicolon ;" },
  { value: "tab", label: "tab" },
  { value: "|", label: "pipe |" },
];

const CHARSETS: Array<{ value: Charset; label: string }> = [
  { value: "utf-8", label: "UTF-8" },
  { value: "windows-1252", label: "Windows-1252 (Latin-1)" },
];

interface Props {
  source: ImportSource | null;
  onSource: (source: ImportSource) => void;
  reading: Reading;
  onReading: (reading: Reading) => void;
  preview: Preview | undefined;
}

/** Step 1: a file (dropped or picked) or pasted text, and how to read it. */
export function SourceStep({ source, onSource, reading, onReading, preview }: Props) {
  const openRef = useRef<() => void>(null);
  const [rejected, setRejected] = useState<string | null>(null);
  const [text, setText] = useState("");
  const [pastedFormat, setPastedFormat] = useState<ImportFormat | null>(null);
  const textFormat = pastedFormat ?? detectPastedFormat(text);

  const takeFile = (file: File | undefined) => {
    if (!file) return;
    const next = fileSource(file);
    if (!next) {
      setRejected(`${file.name} is not a file the import reads: choose a CSV, XLSX, NDJSON or JSON file.`);
      return;
    }
    setRejected(null);
    onSource(next);
  };

  return (
    <Stack gap="md">
      <Dropzone
        onDrop={(files) => takeFile(files[0])}
        onReject={(rejections) => takeFile(rejections[0]?.file)}
        openRef={openRef}
        multiple={false}
        accept={ACCEPT}
        activateOnClick={false}
        aria-label="Drop a file here"
        inputProps={{ "aria-label": "File to import" }}
      >
        <Stack align="center" gap={6} py="lg" style={{ pointerEvents: "none" }}>
          <Text fw={600}>Drop a CSV, XLSX, NDJSON or JSON file here</Text>
          <Text size="sm" c="dimmed">
            The file goes from disk to the service as it is; a large one never sits whole in the page.
          </Text>
        </Stack>
      </Dropzone>
      <Group>
        <Button variant="light" onClick={() => openRef.current?.()}>
          Choose a file
        </Button>
      </Group>
      {rejected ? (
        <Alert color="red" role="alert">
          {rejected}
        </Alert>
      ) : null}

      <Textarea
        label="Or paste CSV or JSON"
        description="A header line and rows, a JSON array of objects, or JSON objects one per line."
        autosize
        minRows={3}
        maxRows={10}
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value);
          setPastedFormat(null);
        }}
        styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
      />
      {text.trim() !== "" ? (
        <Group>
          <SegmentedControl
            aria-label="Format of the pasted text"
            value={textFormat}
            onChange={(value) => setPastedFormat(value as ImportFormat)}
            data={[
              { value: "csv", label: "CSV" },
              { value: "json", label: "JSON" },
              { value: "ndjson", label: "NDJSON" },
            ]}
          />
          <Button variant="light" onClick={() => onSource(textSource(text, textFormat))}>
            Use the pasted text
          </Button>
        </Group>
      ) : null}

      {source ? (
        <Paper withBorder p="md">
          <Stack gap="sm">
            <Text>
              <b>{source.name}</b> · {FORMAT_LABELS[source.format]} · {formatBytes(source.blob.size)}
            </Text>
            {source.format === "xlsx" && preview?.sheets && preview.sheets.length > 0 ? (
              <Select
                label="Sheet"
                data={preview.sheets}
                value={reading.sheet ?? preview.sheet ?? preview.sheets[0] ?? null}
                onChange={(value) => onReading({ ...reading, ...(value ? { sheet: value } : {}) })}
                allowDeselect={false}
                maw={320}
              />
            ) : null}
            {source.format === "csv" ? (
              <Group grow preventGrowOverflow={false} wrap="wrap">
                <Select
                  label="Delimiter"
                  description={preview?.delimiter ? `Detected: ${DELIMITERS.find((d) => d.value === preview.delimiter)?.label ?? preview.delimiter}` : "Detected from the header line"}
                  data={DELIMITERS}
                  value={reading.delimiter ?? preview?.delimiter ?? null}
                  onChange={(value) => onReading({ ...reading, delimiter: (value ?? undefined) as Delimiter | undefined })}
                  allowDeselect={false}
                  miw={200}
                />
                <Select
                  label="Character set"
                  description={preview?.charset ? `Detected: ${CHARSETS.find((c) => c.value === preview.charset)?.label ?? preview.charset}` : "Detected from the bytes"}
                  data={CHARSETS}
                  value={reading.charset ?? preview?.charset ?? null}
                  onChange={(value) => onReading({ ...reading, charset: (value ?? undefined) as Charset | undefined })}
                  allowDeselect={false}
                  miw={200}
                />
              </Group>
            ) : null}
          </Stack>
        </Paper>
      ) : null}
    </Stack>
  );
}
