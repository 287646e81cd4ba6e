import { createHash, type Hash } from "node:crypto";
import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Ajv } from "ajv";
import type { MultipartFile } from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import { principalOf, storeOf } from "../auth/authenticate.js";
import { checkJsonLimits, importEntryLimits, type JsonLimits } from "../http/json-limits.js";
import type { FieldDefinition } from "../fields/field-types.js";
import { checkEntries, checkSample, SAMPLE_SIZE } from "../import/accept.js";
import { csvEntries, type DelimiterName } from "../import/formats/csv-entries.js";
import { decodeText, decoderName } from "../import/formats/decode-text.js";
import { ndjsonEntries } from "../import/formats/ndjson-entries.js";
import type { ParsedEntry } from "../import/formats/parsed-entry.js";
import { xlsxEntries } from "../import/formats/xlsx-entries.js";
import { checkColumnsFit, fieldsByColumn, parseColumns } from "../import/columns.js";
import type { ImportMapping } from "../import/mapping.js";
import { DEFAULT_OPTIONS, locationLabel, optionsFor, type ImportFormat, type ImportOptions } from "../import/options.js";
import { suggestColumns, suggestDecimalSeparator } from "../import/preview.js";
import type { DecimalSeparator } from "../fields/coerce.js";
import { receiveFile } from "../import/receive-file.js";
import { badRequest, HttpError } from "../http/errors.js";
import { jsonText, rawJsonOf } from "../http/json-body.js";
import { bearerSecurity, errors, withHeaders } from "../schemas/common.js";
import { IdempotencyHeaders, ImportEntries, ImportPreviewSchema, ImportQuery, ImportStatusSchema } from "../schemas/imports.js";
import type { Services } from "../services.js";
import { IdempotencyKeyReused, type Idempotency, type ImportRow } from "../storage/imports.js";
import { toImportStatus } from "./import-status.js";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/** Media types read as a stream, and the format each is. */
const STREAMED: Record<string, Exclude<ImportFormat, "json">> = {
  "text/csv": "csv",
  "application/csv": "csv",
  "text/tab-separated-values": "csv",
  "application/x-ndjson": "ndjson",
  "application/ndjson": "ndjson",
  "application/jsonl": "ndjson",
  "application/x-jsonlines": "ndjson",
  [XLSX_TYPE]: "xlsx",
};
const EXTENSIONS: Record<string, ImportFormat> = { csv: "csv", tsv: "csv", ndjson: "ndjson", jsonl: "ndjson", json: "json", xlsx: "xlsx" };

const requestAjv = new Ajv({ coerceTypes: "array", useDefaults: true, removeAdditional: false, allErrors: false, strict: false });

/** The body as it arrives: a JSON array already parsed, or a file to stream. */
interface FileSource {
  format: Exclude<ImportFormat, "json">;
  bytes: AsyncIterable<Buffer>;
  mediaType: string;
  /** The charset parameter of the body's Content-Type. */
  charset?: string;
  /** A multipart body: refuses it if another file part follows. */
  onlyFile?: () => Promise<void>;
  /** A multipart file part's name. */
  fileName?: string;
}

export const importStartRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { imports, config, now } = services;

  // These parsers and multipart exist only in this plugin: elsewhere such
  // bodies are a 415. The body stays a stream; receiveFile stores it as read.
  app.addContentTypeParser(Object.keys(STREAMED), (_request, payload, done) => done(null, payload));
  // Any other body is refused naming every type this route reads (elsewhere, a 415 names JSON alone).
  app.addContentTypeParser("*", (request, _payload, done) => done(unsupportedMediaType(request.headers["content-type"])));
  // Form fields are allowed and ignored: options are query parameters.
  // Two files, so that a second one is refused by name rather than by busboy's limit.
  await app.register(multipart, { limits: { files: 2, fileSize: config.IMPORT_MAX_FILE_BYTES + 1, fields: 20, fieldSize: 64 * 1024 } });

  app.post(
    "/assets-import",
    {
      config: { access: { role: "editor" }, jsonLimits: importEntryLimits(config) },
      schema: {
        operationId: "startImport",
        tags: ["Asset import"],
        summary: "Start an asset import (thingsHub v4; also CSV, NDJSON, XLSX)",
        description:
          "Accepts a JSON array of 1 to 50,000 entries, or a CSV, NDJSON or XLSX file (as the body or as a multipart file " +
          "part) of up to IMPORT_MAX_FILE_ENTRIES entries, and answers 202 once the entries are stored; the import then runs " +
          "in the background, after earlier imports of the tenant. Refused as a whole with 400 (not an array or an unreadable " +
          "file, no or too many entries, an entry that is not an object, or every entry of the first 100 would fail), 413 " +
          "(body too large), 415, or 422 (an Idempotency-Key reused with another request).",
        security: bearerSecurity,
        // The request body's media types in the OpenAPI document.
        consumes: ["application/json", ...Object.keys(STREAMED), "multipart/form-data"],
        querystring: ImportQuery,
        headers: IdempotencyHeaders,
        body: ImportEntries,
        response: { 202: withHeaders(ImportStatusSchema, "Idempotent-Replayed"), ...errors(400, 401, 413, 415, 422) },
      },
      // JSON entries are checked by checkEntries with messages that name the
      // entry (a schema validator would walk 50,000 objects for less); files
      // are read as streams. The query and headers are validated as
      // Fastify's own validator would (coerced, with defaults).
      validatorCompiler: ({ schema, httpPart }) => (httpPart === "body" ? (value: unknown) => ({ value }) : requestAjv.compile(schema)),
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { query } = request;
      const mapping: ImportMapping = { idField: query.id_mapping_field ?? null, nameField: query.name_mapping_field ?? null };
      const options: ImportOptions = {
        dry_run: query.dry_run,
        all_or_none: query.all_or_none,
        unknown_fields: query.unknown_fields as ImportOptions["unknown_fields"],
        null_values: query.null_values as ImportOptions["null_values"],
        empty_values: query.empty_values as ImportOptions["empty_values"],
        decimal_separator: query.decimal_separator as ImportOptions["decimal_separator"],
        ...(query.columns !== undefined ? { columns: parseColumns(query.columns)! } : {}),
      };
      const key = request.headers["idempotency-key"];
      // The request's identity for Idempotency-Key: what it asks for and its body. The
      // default separator leaves it as it was before that option, so a retry across an upgrade replays.
      const { decimal_separator, ...earlierOptions } = options;
      const asked = [mapping, earlierOptions, query.delimiter, query.charset, query.sheet, ...(decimal_separator === "," ? [decimal_separator] : [])];
      const hash = createHash("sha256").update(JSON.stringify(asked));
      const store = storeOf(request);
      const fieldMap = new Map((await store.fields.list()).map((f) => [f.name, f]));
      const catalog = await store.catalog();
      const newImport = (format: ImportFormat, fileName: string | undefined) => ({
        tenantId: store.tenantId,
        idMappingField: mapping.idField,
        nameMappingField: mapping.nameField,
        createdBy: principal.actor,
        now: now(),
        format,
        options: JSON.stringify(optionsFor(format, options)),
        validateFirst: options.dry_run || options.all_or_none,
        dryRun: options.dry_run,
        sourceName: query.source_name ?? fileName ?? null,
      });
      const idempotency = (): Idempotency | undefined => (key === undefined ? undefined : { key, requestHash: hash.digest("hex") });

      const source = await fileSource(request);
      let result: { row: ImportRow; replayed: boolean };
      try {
        if (source === undefined || "text" in source) {
          // A JSON array: the body as received is the durable copy of the entries.
          const text = source?.text ?? rawJsonOf(request);
          const entries: unknown = source ? parseJson(text, importEntryLimits(config)) : request.body;
          checkEntries(entries, config.IMPORT_MAX_ENTRIES);
          checkSample(entries.slice(0, SAMPLE_SIZE).map((entry) => ({ entry })), mapping, fieldMap, optionsFor("json", options), catalog, options.columns);
          if (key !== undefined) hash.update(text);
          result = await imports.create({
            ...newImport("json", source?.fileName),
            payloads: [{ first_entry_num: 1, entry_count: entries.length, entries: text, locations: null, problems: null }],
            idempotency: idempotency(),
          });
        } else {
          const bytes = metered(source.bytes, config.IMPORT_MAX_FILE_BYTES, key === undefined ? undefined : hash);
          result = await receiveFile(parsedEntries(source, bytes, query, fieldMap, options), {
            imports,
            newImport: newImport(source.format, source.fileName),
            mapping,
            fields: fieldMap,
            catalog,
            rules: optionsFor(source.format, options),
            ...(options.columns ? { columns: options.columns } : {}),
            maxEntries: config.IMPORT_MAX_FILE_ENTRIES,
            now,
            idempotency,
            ...(source.onlyFile ? { beforeAccept: source.onlyFile } : {}),
          });
        }
      } catch (err) {
        if (err instanceof IdempotencyKeyReused) throw new HttpError(422, `Idempotency-Key '${key}' was used within 24 hours for another request`);
        throw err;
      }
      const { row, replayed } = result;
      if (replayed) reply.header("idempotent-replayed", "true");
      else {
        services.onImportAccepted();
        request.log.info({ import_id: row.id, entries: row.total_count, format: row.format }, "import accepted");
      }
      return reply.code(202).send(toImportStatus(row));
    },
  );

  /** Where the entries come from: the JSON body, a streamed body, or a multipart file part. */
  async function fileSource(request: FastifyRequest): Promise<FileSource | { text: string; fileName?: string } | undefined> {
    const mediaType = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (mediaType === "application/json") return undefined;
    if (STREAMED[mediaType]) {
      const charset = /;\s*charset="?([^";\s]+)"?/i.exec(request.headers["content-type"] ?? "")?.[1];
      return { format: STREAMED[mediaType], bytes: request.body as AsyncIterable<Buffer>, mediaType, ...(charset ? { charset } : {}) };
    }
    // multipart/form-data: its one file part; form fields are skipped.
    const parts = request.parts()[Symbol.asyncIterator]();
    const nextFile = async (): Promise<MultipartFile | undefined> => {
      try {
        for (let next = await parts.next(); !next.done; next = await parts.next()) if (next.value.type === "file") return next.value;
        return undefined;
      } catch (err) {
        if (err instanceof HttpError || (err as { statusCode?: number }).statusCode === 413) throw err;
        throw badRequest(`the multipart body cannot be read: ${(err as Error).message}`);
      }
    };
    const file = await nextFile();
    if (!file) throw badRequest("the multipart body has no file part");
    // Checked once the file was read, before the import is accepted.
    const onlyFile = async () => {
      const another = await nextFile();
      if (another) {
        another.file.resume();
        throw badRequest(`one file per import: the body has another file part ('${another.filename}')`);
      }
    };
    const partType = file.mimetype.toLowerCase();
    const extension = /\.([a-z0-9]+)$/i.exec(file.filename)?.[1]?.toLowerCase() ?? "";
    const format = partType === "application/json" ? "json" : (STREAMED[partType] ?? EXTENSIONS[extension]);
    if (format === undefined) {
      file.file.resume();
      throw new HttpError(415, `the file '${file.filename}' (${file.mimetype}) is not JSON, CSV, NDJSON or XLSX; name it .json, .csv, .ndjson or .xlsx, or give its type`);
    }
    const fileName = file.filename || undefined;
    if (format !== "json") return { format, bytes: file.file, mediaType: partType, onlyFile, ...(fileName ? { fileName } : {}) };
    let bytes: Buffer;
    try {
      bytes = await file.toBuffer();
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 413) throw err;
      throw badRequest(`the upload could not be read to its end: ${(err as Error).message}`);
    }
    if (bytes.length > config.MAX_BODY_BYTES) throw new HttpError(413, `the JSON file is larger than MAX_BODY_BYTES (${config.MAX_BODY_BYTES} bytes)`);
    await onlyFile();
    return { text: jsonText(bytes), ...(fileName ? { fileName } : {}) };
  }

  function parsedEntries(
    source: FileSource,
    bytes: AsyncIterable<Buffer>,
    query: { delimiter?: string; charset?: string; sheet?: string },
    fieldMap: ReadonlyMap<string, FieldDefinition>,
    options: ImportOptions,
    observe: FileObserver = {},
  ): AsyncIterable<ParsedEntry> {
    const { columns } = options;
    const onHeader = (header: string[], delimiter?: DelimiterName) => {
      if (columns) checkColumnsFit(columns, header);
      observe.onHeader?.(header, delimiter);
    };
    if (source.format === "xlsx") {
      const fields = columns ? fieldsByColumn(fieldMap, columns) : fieldMap;
      return xlsxEntries(bytes, { ...(query.sheet ? { sheet: query.sheet } : {}), emptyValues: options.empty_values, fields, onHeader, ...(observe.onSheets ? { onSheets: observe.onSheets } : {}) });
    }
    if (source.format === "ndjson") return ndjsonEntries(decodeText(bytes, "utf-8", false), importEntryLimits(config));
    const charset = decoderName(query.charset ?? source.charset);
    const delimiter = (query.delimiter ?? (source.mediaType === "text/tab-separated-values" ? "tab" : undefined)) as DelimiterName | undefined;
    return csvEntries(decodeText(bytes, charset, charset === undefined, observe.onEncoding), { ...(delimiter ? { delimiter } : {}), emptyValues: options.empty_values, onHeader });
  }

  app.post(
    "/assets-import/preview",
    {
      config: { access: { role: "editor" }, jsonLimits: importEntryLimits(config) },
      schema: {
        operationId: "previewImport",
        tags: ["Asset import"],
        summary: "Preview an import: the file as read and a suggested mapping; writes nothing",
        description:
          "Takes the body and the options of POST /assets-import and answers how it reads: the format, the CSV delimiter and " +
          "charset, an XLSX workbook's sheets, the columns (entry keys) with the key each is suggested to be imported as, and " +
          `the first ${PREVIEW_ROWS} entries as parsed. Reads at most ${PREVIEW_SAMPLE} entries (the rest of the body is not parsed), ` +
          "so a client may send only the start of a large CSV or NDJSON file. Creates no import.",
        security: bearerSecurity,
        consumes: ["application/json", ...Object.keys(STREAMED), "multipart/form-data"],
        querystring: ImportQuery,
        body: ImportEntries,
        response: { 200: ImportPreviewSchema, ...errors(400, 401, 413, 415) },
      },
      validatorCompiler: ({ schema, httpPart }) => (httpPart === "body" ? (value: unknown) => ({ value }) : requestAjv.compile(schema)),
    },
    async (request) => {
      const { query } = request;
      const mapping: ImportMapping = { idField: query.id_mapping_field ?? null, nameField: query.name_mapping_field ?? null };
      const columns = parseColumns(query.columns);
      const options: ImportOptions = { ...DEFAULT_OPTIONS, empty_values: query.empty_values as ImportOptions["empty_values"], ...(columns ? { columns } : {}) };
      const decimalSeparator = query.decimal_separator as DecimalSeparator;
      const fieldMap = new Map((await storeOf(request).fields.list()).map((f) => [f.name, f]));
      const source = await fileSource(request);
      const read: FilePreview = { rows: [], header: undefined };
      if (source === undefined || "text" in source) {
        const entries: unknown = source ? parseJson(source.text, importEntryLimits(config)) : request.body;
        checkEntries(entries, config.IMPORT_MAX_ENTRIES);
        optionsFor("json", { ...options, decimal_separator: decimalSeparator });
        read.rows = entries.slice(0, PREVIEW_SAMPLE).map((entry, index) => ({ entry_num: index + 1, entry }));
        read.more = entries.length > PREVIEW_SAMPLE;
      } else {
        optionsFor(source.format, { ...options, decimal_separator: decimalSeparator });
        const bytes = drainedWhenLeft(metered(source.bytes, config.IMPORT_MAX_FILE_BYTES, undefined));
        const observe: FileObserver = {
          onHeader: (header, delimiter) => Object.assign(read, { header, ...(delimiter ? { delimiter } : {}) }),
          onEncoding: (encoding) => (read.charset = encoding),
          onSheets: (sheets) => Object.assign(read, { sheets, sheet: query.sheet ?? sheets[0] }),
        };
        let entryNum = 0;
        try {
          for await (const parsed of parsedEntries(source, bytes, query, fieldMap, options, observe)) {
            if (read.rows.length === PREVIEW_SAMPLE) {
              read.more = true;
              break;
            }
            read.rows.push({ entry_num: ++entryNum, location: parsed.location, entry: parsed.entry, ...(parsed.problem !== undefined ? { problem: parsed.problem } : {}) });
          }
        } finally {
          // The readers may stop before the body's end: read the rest.
          await bytes.return(undefined);
        }
        if (source.format === "csv") read.charset ??= decoderName(query.charset ?? source.charset) ?? "utf-8";
      }
      const format: ImportFormat = source === undefined || "text" in source ? "json" : source.format;
      const names = read.header ?? keysInOrder(read.rows.filter((r) => r.problem === undefined).map((r) => r.entry));
      const samples = (column: string) => read.rows.map((r) => (typeof r.entry === "object" && r.entry !== null ? (r.entry as Record<string, unknown>)[column] : undefined));
      const label = locationLabel(format);
      // Spreadsheet text only: JSON numbers have no separator to choose.
      const separator = format === "csv" || format === "xlsx" ? suggestDecimalSeparator(names.flatMap(samples)) : undefined;
      return {
        format,
        ...(read.delimiter ? { delimiter: read.delimiter } : {}),
        ...(read.charset ? { charset: read.charset } : {}),
        ...(read.sheets ? { sheets: read.sheets, sheet: read.sheet! } : {}),
        columns: suggestColumns(names, fieldMap, mapping, columns, samples, decimalSeparator),
        rows: read.rows.slice(0, PREVIEW_ROWS).map(({ location, ...row }) => ({ ...row, ...(location !== undefined ? { [label]: location } : {}) })),
        more_rows: read.more === true || read.rows.length > PREVIEW_ROWS,
        ...(separator ? { suggested_decimal_separator: separator } : {}),
      };
    },
  );
};

/** What a file's reader tells as it reads, for a preview. */
interface FileObserver {
  onHeader?: (header: string[], delimiter?: DelimiterName) => void;
  onEncoding?: (encoding: "utf-8" | "windows-1252") => void;
  onSheets?: (sheets: string[]) => void;
}

interface FilePreview {
  rows: Array<{ entry_num: number; location?: number; entry: unknown; problem?: string }>;
  header: string[] | undefined;
  more?: boolean;
  delimiter?: DelimiterName;
  charset?: "utf-8" | "windows-1252";
  sheets?: string[];
  sheet?: string;
}

/** Entries shown by a preview, and entries read to suggest the columns' types. */
const PREVIEW_ROWS = 20;
const PREVIEW_SAMPLE = 1_000;

/** The keys of JSON entries, in the order they first appear. */
function keysInOrder(entries: unknown[]): string[] {
  const keys = new Set<string>();
  for (const entry of entries) if (typeof entry === "object" && entry !== null && !Array.isArray(entry)) for (const key of Object.keys(entry)) keys.add(key);
  return [...keys];
}

/**
 * The bytes, read to their end even when the reader stops early: the rest
 * of a request body must be read for the answer to reach the client (giving
 * up on the stream would close the connection first).
 */
async function* drainedWhenLeft(bytes: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const source = bytes[Symbol.asyncIterator]();
  let done = false;
  try {
    for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
    done = true;
  } finally {
    if (!done) for (let next = await source.next().catch(() => ({ done: true }) as const); !next.done; next = await source.next().catch(() => ({ done: true }) as const));
  }
}

function unsupportedMediaType(contentType: string | undefined): HttpError {
  const given = contentType ? ` '${contentType.length > 100 ? `${contentType.slice(0, 100)}…` : contentType}'` : "";
  return new HttpError(
    415,
    `unsupported content type${given}: send JSON (application/json), CSV (text/csv), NDJSON (application/x-ndjson), ` +
      `XLSX (${XLSX_TYPE}) or multipart/form-data with one file part`,
  );
}

function parseJson(text: string, limits: JsonLimits): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`the file is not valid JSON: ${(err as Error).message}`);
  }
  checkJsonLimits(value, limits);
  return value;
}

/** Counts the bytes as they pass, and hashes them for an Idempotency-Key; 413 past the limit. */
async function* metered(bytes: AsyncIterable<Buffer>, limit: number, hash: Hash | undefined): AsyncGenerator<Buffer> {
  let total = 0;
  try {
    for await (const chunk of bytes) {
      total += chunk.length;
      if (total > limit) throw new HttpError(413, `the file is larger than IMPORT_MAX_FILE_BYTES (${limit} bytes)`);
      hash?.update(chunk);
      yield chunk;
    }
  } catch (err) {
    // The request broke off, or its multipart framing is broken: the client's doing.
    if (err instanceof HttpError) throw err;
    throw badRequest(`the upload could not be read to its end: ${(err as Error).message}`);
  }
}
