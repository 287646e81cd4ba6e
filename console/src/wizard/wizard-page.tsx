import "@mantine/dropzone/styles.css";
import { Alert, Anchor, Button, Group, Skeleton, Stack, Stepper, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { useFields } from "../api/catalog";
import { fetchPreview } from "../api/imports";
import { importSearch, startImport, type StartImportQuery, type UploadProgress } from "../api/upload";
import { isFinal } from "../api/types";
import { canWriteAssets, isAdmin, useCurrentUser } from "../app/use-session";
import { ImportView } from "../report/import-view";
import { importKey, useFollowedImport } from "../report/use-followed-import";
import { ErrorAlert } from "../ui/error-alert";
import { CheckStep } from "./check-step";
import { ImportStep } from "./import-step";
import { columnsOption, clashes, suggestedMapping, type Mapping } from "./mapping";
import { MappingStep } from "./mapping-step";
import { DEFAULT_OPTIONS, optionsQuery, takesCells, type ImportOptions } from "./options";
import { OptionsStep } from "./options-step";
import { randomKey } from "./random-key";
import { previewBody, readingQuery, sourceName, unusablePreview, type ImportSource, type Reading } from "./source";
import { SourceStep } from "./source-step";
import classes from "./wizard.module.css";

const STEPS = [
  { label: "Source", description: "File or text" },
  { label: "Preview and map", description: "Columns to fields" },
  { label: "Options", description: "How to import" },
  { label: "Check", description: "A dry run" },
  { label: "Import", description: "Run it" },
  { label: "Result", description: "Report" },
] as const;

const SOURCE = 0;
const MAP = 1;
const OPTIONS = 2;
const CHECK = 3;
const IMPORT = 4;
const RESULT = 5;

/** The import a wizard's URL names (`/imports/new?import=21`), once that import has started. */
function importParam(search: string): number | null {
  const value = Number(new URLSearchParams(search).get("import"));
  return Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * /imports/new: the import wizard. "Import another file" starts a new run (a
 * new Idempotency-Key). Once the import has started its number is put in the
 * URL (the route matches the path only, so the wizard stays mounted): a reload
 * opens the same import's progress or result instead of an empty first step.
 */
export default function WizardPage() {
  const [run, setRun] = useState(0);
  const [, navigate] = useLocation();
  return (
    <Wizard
      key={run}
      onRestart={() => {
        navigate("/imports/new", { replace: true });
        setRun((n) => n + 1);
      }}
    />
  );
}

function Wizard({ onRestart }: { onRestart: () => void }) {
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const search = useSearch();
  const [resumed] = useState(() => importParam(search));
  const [active, setActive] = useState(resumed === null ? SOURCE : IMPORT);
  // A new step moves the focus to its title, so that a keyboard or screen reader user starts there.
  // Arriving at the wizard puts it on the page's heading.
  const stepTitle = useRef<HTMLHeadingElement>(null);
  const pageTitle = useRef<HTMLHeadingElement>(null);
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      pageTitle.current?.focus();
      return;
    }
    stepTitle.current?.focus();
  }, [active]);
  const [source, setSource] = useState<ImportSource | null>(null);
  const [reading, setReading] = useState<Reading>({});
  const [mapping, setMapping] = useState<Mapping>({});
  const [options, setOptions] = useState<ImportOptions>(DEFAULT_OPTIONS);
  const [fieldsVersion, setFieldsVersion] = useState(0);
  // One key per wizard run: a double click or a retry of the import starts it once.
  const idempotencyKey = useMemo(() => randomKey(), []);

  const fields = useFields();
  // The preview reads as the import will: a decimal separator the user chose goes with it.
  const chosenDecimal = source && takesCells(source.format) && options.decimal_separator !== null ? options.decimal_separator : undefined;
  const preview = useQuery({
    queryKey: ["preview", source?.id, reading, chosenDecimal],
    queryFn: ({ signal }) =>
      fetchPreview(
        previewBody(source!),
        source!.contentType,
        importSearch({ ...readingQuery(source!, reading), ...(chosenDecimal ? { decimal_separator: chosenDecimal } : {}), source_name: sourceName(source!) }),
        signal,
      ),
    enabled: source !== null,
    // The same source read again (another decimal separator) keeps its rows on screen meanwhile.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === source?.id ? previous : undefined),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
  useEffect(() => {
    if (preview.data) setMapping((previous) => suggestedMapping(preview.data.columns, previous));
  }, [preview.data]);

  const columns = columnsOption(mapping);
  const detectedDecimal = preview.data?.suggested_decimal_separator;
  const query: StartImportQuery | null = source
    ? { ...readingQuery(source, reading), ...optionsQuery(options, source.format, detectedDecimal), ...(columns ? { columns } : {}), source_name: sourceName(source) }
    : null;
  const signature = JSON.stringify([source?.id, query, fieldsVersion]);

  // Step 4: the dry run, once per set-up; going back and changing anything runs it again.
  const [checkUpload, setCheckUpload] = useState<UploadProgress | null>(null);
  const [check, setCheck] = useState<{ signature: string; importId: number } | null>(null);
  const dryRun = useMutation({
    mutationFn: async (forSignature: string) => {
      setCheckUpload({ loaded: 0, total: source!.blob.size });
      const started = await startImport(source!.blob, source!.contentType, { ...query!, dry_run: true }, randomKey(), setCheckUpload);
      return { started, forSignature };
    },
    onSuccess: ({ started, forSignature }) => {
      queryClient.setQueryData(importKey(started.status.import_id), started.status);
      queryClient.removeQueries({ queryKey: ["problems", started.status.import_id] });
      setCheck({ signature: forSignature, importId: started.status.import_id });
    },
  });
  const checkAgain = () => {
    if (dryRun.isPending) return;
    dryRun.reset();
    setCheck(null);
    dryRun.mutate(signature);
  };
  useEffect(() => {
    if (active === CHECK && check?.signature !== signature && !dryRun.isPending && !dryRun.isError) dryRun.mutate(signature);
  }, [active, check?.signature, signature, dryRun]);
  const checkStatus = useFollowedImport(check && check.signature === signature ? check.importId : null);

  // Step 5: the import.
  const [importUpload, setImportUpload] = useState<UploadProgress | null>(null);
  const [importId, setImportId] = useState<number | null>(resumed);
  const [replayed, setReplayed] = useState(false);
  const inFlight = useRef(false);
  const startRealImport = useMutation({
    mutationFn: () => {
      setImportUpload({ loaded: 0, total: source!.blob.size });
      return startImport(source!.blob, source!.contentType, query!, idempotencyKey, setImportUpload);
    },
    onSuccess: (started) => {
      queryClient.setQueryData(importKey(started.status.import_id), started.status);
      void queryClient.invalidateQueries({ queryKey: ["imports"] });
      setReplayed(started.replayed);
      navigate(`/imports/new?import=${started.status.import_id}`, { replace: true });
      setImportId(started.status.import_id);
    },
    onSettled: () => {
      inFlight.current = false;
    },
  });
  const onImport = () => {
    // The button is disabled while the upload is in flight; this also stops a second click in the same frame.
    if (inFlight.current || importId !== null) return;
    inFlight.current = true;
    startRealImport.mutate();
  };
  const imported = useFollowedImport(importId);
  const importEnded = imported.data !== undefined && isFinal(imported.data);
  useEffect(() => {
    if (importEnded) setActive(RESULT);
  }, [importEnded]);
  // The URL lost its import (the Import link, clicked in the wizard): a new run.
  const urlImport = importParam(search);
  useEffect(() => {
    if (importId !== null && urlImport === null) onRestart();
  }, [importId, urlImport, onRestart]);

  if (me.data && !canWriteAssets(me.data)) {
    return (
      <Alert color="yellow" title="Viewers cannot import">
        Your role lets you see imports and their reports. Ask an admin for the editor role to import.
      </Alert>
    );
  }

  const locked = importId !== null || startRealImport.isPending;
  const changeSource = (next: ImportSource) => {
    setSource(next);
    setReading({});
    setMapping({});
    // A decimal separator chosen for the last file is the new file's to detect again.
    setOptions((previous) => ({ ...previous, decimal_separator: null }));
    setCheck(null);
    dryRun.reset();
  };
  const clashing = clashes(mapping).length > 0;
  const unusable = preview.data && !preview.isFetching ? unusablePreview(preview.data) : null;
  const canNext: Record<number, boolean> = {
    [SOURCE]: source !== null && preview.isSuccess && unusable === null,
    [MAP]: preview.isSuccess && !clashing,
    [OPTIONS]: true,
    [CHECK]: checkStatus.data !== undefined && isFinal(checkStatus.data) && !dryRun.isPending,
  };
  const goTo = (step: number) => {
    if (step !== CHECK) dryRun.reset();
    setActive(step);
  };

  return (
    <Stack gap="md">
      <Anchor component={Link} href="/imports" size="sm">
        ← All imports
      </Anchor>
      <Title order={1} size="h2" ref={pageTitle} tabIndex={-1} className={classes.stepTitle}>
        Import assets
      </Title>
      <Stepper
        active={active}
        onStepClick={(step) => {
          if (!locked && step < active) goTo(step);
        }}
        allowNextStepsSelect={false}
        size="sm"
        classNames={{ stepBody: classes.stepBody, steps: classes.steps, separator: classes.separator }}
        aria-label="Import steps"
      >
        {STEPS.map((step, index) => (
          <Stepper.Step key={step.label} label={step.label} description={step.description} allowStepSelect={!locked && index < active} aria-label={`Step ${index + 1}: ${step.label}`} />
        ))}
      </Stepper>

      <Title order={2} size="h3" id="step-title" ref={stepTitle} tabIndex={-1} className={classes.stepTitle}>
        {active + 1}. {STEPS[active]!.label}
      </Title>

      <section aria-labelledby="step-title">
        {active === SOURCE ? (
          <Stack gap="md">
            <SourceStep source={source} onSource={changeSource} reading={reading} onReading={setReading} preview={preview.data} />
            {preview.isFetching ? <Text size="sm">Reading the first rows…</Text> : null}
            {preview.isError ? <ErrorAlert title="The file could not be read" error={preview.error} onRetry={() => void preview.refetch()} /> : null}
            {unusable ? (
              <Alert color="red" title="This file cannot be imported" role="alert">
                {unusable}
              </Alert>
            ) : null}
          </Stack>
        ) : null}
        {active === MAP ? (
          fields.isError ? (
            <ErrorAlert error={fields.error} onRetry={() => void fields.refetch()} />
          ) : preview.data && fields.data ? (
            <MappingStep
              preview={preview.data}
              fields={fields.data}
              admin={isAdmin(me.data)}
              mapping={mapping}
              onMapping={setMapping}
              onFieldCreated={() => setFieldsVersion((n) => n + 1)}
            />
          ) : (
            <Skeleton h={240} />
          )
        ) : null}
        {active === OPTIONS && source ? <OptionsStep options={options} onOptions={setOptions} format={source.format} detectedDecimal={detectedDecimal} /> : null}
        {active === CHECK ? <CheckStep status={checkStatus} uploading={dryRun.isPending} upload={checkUpload} error={dryRun.error} onCheckAgain={checkAgain} /> : null}
        {active === IMPORT && imported.isError ? <ErrorAlert error={imported.error} onRetry={() => void imported.refetch()} /> : null}
        {active === IMPORT && source === null && imported.isPending ? <Skeleton h={160} /> : null}
        {active === IMPORT ? (
          <ImportStep
            source={source}
            sheet={source?.format === "xlsx" ? (reading.sheet ?? preview.data?.sheet) : undefined}
            options={options}
            columns={columns}
            check={checkStatus.data}
            status={imported.data}
            uploading={startRealImport.isPending}
            upload={importUpload}
            replayed={replayed}
            error={startRealImport.error}
            onImport={onImport}
          />
        ) : null}
        {active === RESULT && imported.data ? (
          <ImportView
            status={imported.data}
            canCancel={false}
            actions={
              <>
                <Button component={Link} href={`/imports/${imported.data.import_id}`} variant="default">
                  Open the import&rsquo;s page
                </Button>
                <Button variant="default" onClick={onRestart}>
                  Import another file
                </Button>
              </>
            }
          />
        ) : null}
      </section>

      {active < IMPORT ? (
        <Group justify="space-between">
          <Button variant="default" onClick={() => goTo(active - 1)} disabled={active === SOURCE}>
            Back
          </Button>
          <Button onClick={() => goTo(active + 1)} disabled={!canNext[active]}>
            {active === OPTIONS ? "Check" : "Next"}
          </Button>
        </Group>
      ) : null}
      {active === IMPORT && !locked ? (
        <Group>
          <Button variant="default" onClick={() => goTo(CHECK)}>
            Back
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
