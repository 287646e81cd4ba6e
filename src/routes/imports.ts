import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { storeOf } from "../auth/authenticate.js";
import { attachment } from "../http/download.js";
import type { TenantStore } from "../storage/tenant-store.js";
import { locationLabel, parseStoredOptions } from "../import/options.js";
import { badRequest, conflict, HttpError, notFound } from "../http/errors.js";
import { bearerSecurity, BinaryFile, errors, Paginated, streamedResponse, toPage } from "../schemas/common.js";
import { FailedEntriesQuery, FailedEntrySchema, ImportIdParams, ImportListQuery, ImportStatusSchema, ReportQuery, ReportRowSchema } from "../schemas/imports.js";
import type { Services } from "../services.js";
import type { ReportStatus } from "../storage/import-report.js";
import { CancelRefused } from "../storage/imports.js";
import { sourceColumns } from "../import/columns.js";
import { failedEntriesCsv, failedEntriesJson } from "../import/failed-entries.js";
import { toImportStatus } from "./import-status.js";

const tags = ["Asset import"];
/** How often an event stream looks at its import, and how long it stays quiet at most. */
const EVENT_INTERVAL_MS = 250;
const KEEPALIVE_MS = 15_000;

export const importRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { imports, now } = services;

  async function importOf(store: TenantStore, importId: number) {
    const row = await store.imports.get(importId);
    if (!row) throw notFound(`import ${importId} not found`);
    return row;
  }

  app.get(
    "/assets-import",
    {
      config: { access: { role: "viewer" } },
      schema: { operationId: "getLatestImport", tags, summary: "Status of the latest import", security: bearerSecurity, response: { 200: ImportStatusSchema, ...errors(401, 404) } },
    },
    async (request) => {
      const row = await storeOf(request).imports.latest();
      if (!row) throw notFound("no import found");
      return toImportStatus(row);
    },
  );

  app.get(
    "/assets-imports",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "listImports",
        tags,
        summary: "Past imports, newest first",
        security: bearerSecurity,
        querystring: ImportListQuery,
        response: { 200: Paginated(ImportStatusSchema, "A page of imports"), ...errors(400, 401) },
      },
    },
    async (request) => {
      const { page, limit, status, dry_run } = request.query;
      const { rows, total } = await storeOf(request).imports.list({ ...(status ? { status } : {}), ...(dry_run !== undefined ? { dryRun: dry_run } : {}) }, (page - 1) * limit, limit);
      return toPage(rows.map(toImportStatus), page, limit, total);
    },
  );

  app.get(
    "/assets-import/full-report",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "getImportReport",
        tags,
        summary: "Per-entry report of an import",
        description:
          "Rows in entry order; an entry's WARNING rows come before its final SUCCESS or FAILED row. SUCCESS rows carry the " +
          "entry's action (created, updated, unchanged). Entries not processed yet have no rows; those a cancelled or failed " +
          "import never reached have a FAILED row each.",
        security: bearerSecurity,
        querystring: ReportQuery,
        response: { 200: Paginated(ReportRowSchema, "A page of report rows"), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const store = storeOf(request);
      const { import_id, status, page, limit, detail, problems, q, entry } = request.query;
      if (q !== undefined && !problems) throw badRequest("q filters the problems: send it with problems=true");
      if (entry !== undefined && (status !== undefined || problems || q !== undefined)) throw badRequest("entry gives one entry's rows: send it without status, problems or q");
      if (problems && status === "SUCCESS") throw badRequest("problems=true lists WARNING and FAILED rows: status=SUCCESS asks for none of them");
      const row = import_id === undefined ? await store.imports.latest() : await store.imports.get(import_id);
      if (!row) throw notFound(import_id === undefined ? "no import found" : `import ${import_id} not found`);
      const offset = (page - 1) * limit;
      const { rows, total } =
        entry !== undefined
          ? await imports.entryRows(row, entry).then((all) => ({ rows: all.slice(offset, offset + limit), total: all.length }))
          : problems
            ? await imports.problemsPage(row.id, status as "WARNING" | "FAILED" | undefined, q, offset, limit)
            : await imports.reportPage(row, status as ReportStatus | undefined, offset, limit);
      const label = locationLabel(row.format);
      const collection = rows.map(({ entry_num, status: rowStatus, message, action, location, entry_key, value }) => ({
        entry_num,
        status: rowStatus,
        ...(message !== null ? { message } : {}),
        ...(action ? { action } : {}),
        ...(detail && location != null ? { [label]: location } : {}),
        ...(detail && entry_key != null ? { column: entry_key } : {}),
        ...(detail && value != null ? { value } : {}),
      }));
      return toPage(collection, page, limit, total);
    },
  );

  app.get(
    "/assets-import/:import_id",
    {
      config: { access: { role: "viewer" } },
      schema: { operationId: "getImport", tags, summary: "Status of one import", security: bearerSecurity, params: ImportIdParams, response: { 200: ImportStatusSchema, ...errors(400, 401, 404) } },
    },
    async (request) => toImportStatus(await importOf(storeOf(request), request.params.import_id)),
  );

  app.get(
    "/assets-import/:import_id/events",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "streamImportEvents",
        tags,
        summary: "Follow an import as it runs (server-sent events)",
        description:
          "A text/event-stream of the import's status: an `event: status` whose data is the status object (as GET " +
          `/assets-import/{import_id} answers) at once, then each time it changes (checked every ${EVENT_INTERVAL_MS} ms), and a comment ` +
          `every ${KEEPALIVE_MS / 1000} s to keep proxies from closing the connection. The stream ends after the status of an ended import ` +
          "(COMPLETED, FAILED, CANCELLED). A browser reads it with fetch, since EventSource cannot send the Authorization header.",
        security: bearerSecurity,
        params: ImportIdParams,
        response: { 200: streamedResponse("The import's status, as it changes", { "text/event-stream": { schema: Type.String() } }), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const store = storeOf(request);
      const { import_id } = request.params;
      const first = await importOf(store, import_id);
      let closed = false;
      request.raw.once("close", () => (closed = true));
      async function* events(): AsyncGenerator<string> {
        // A client that loses the stream reconnects after a second (EventSource's rule).
        yield "retry: 1000\n\n";
        let row = first;
        let sent = "";
        let quietSince = Date.now();
        for (let seq = 1; ; seq++) {
          const status = JSON.stringify(toImportStatus(row));
          if (status !== sent) {
            sent = status;
            quietSince = Date.now();
            yield `id: ${seq}\nevent: status\ndata: ${status}\n\n`;
          } else if (Date.now() - quietSince >= KEEPALIVE_MS) {
            quietSince = Date.now();
            yield ": still running\n\n";
          }
          if (row.status !== "NOT_STARTED" && row.status !== "RUNNING") return;
          await sleep(EVENT_INTERVAL_MS);
          if (closed) return;
          const next = await store.imports.get(import_id);
          if (!next) return;
          row = next;
        }
      }
      return reply
        .header("content-type", "text/event-stream; charset=utf-8")
        // nginx and its kind would hold the events back to fill a buffer.
        .header("x-accel-buffering", "no")
        .send(Readable.from(events(), { objectMode: false }));
    },
  );

  app.post(
    "/assets-import/:import_id/cancel",
    {
      config: { access: { role: "editor" } },
      schema: {
        operationId: "cancelImport",
        tags,
        summary: "Cancel an import",
        description:
          "An import still waiting ends CANCELLED at once; a running one stops after the batch in hand (status RUNNING with " +
          "cancel_requested until then). What was committed stays; the entries left unprocessed count as failed and unprocessed. " +
          "An all_or_none import can be cancelled while it validates (nothing is written), not once it writes. " +
          "409 if the import has already ended, or is an all_or_none import already writing.",
        security: bearerSecurity,
        params: ImportIdParams,
        response: { 202: ImportStatusSchema, ...errors(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const store = storeOf(request);
      const { import_id } = request.params;
      const before = await importOf(store, import_id);
      if (before.status !== "NOT_STARTED" && before.status !== "RUNNING") throw conflict(`import ${import_id} has already ended (${before.status})`);
      let row;
      try {
        row = await store.imports.requestCancel(import_id, now(), parseStoredOptions(before.options).all_or_none);
      } catch (err) {
        if (err instanceof CancelRefused) throw conflict(`import ${import_id} is all_or_none and already writing its entries; it cannot be cancelled now`);
        throw err;
      }
      if (!row) throw notFound(`import ${import_id} not found`);
      // It may have ended on its own meanwhile: the answer shows how it ended.
      return reply.code(202).send(toImportStatus(row));
    },
  );

  app.get(
    "/assets-import/:import_id/failed-entries",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "getFailedEntries",
        tags,
        summary: "The entries that failed, with their reasons",
        description:
          "The original entries whose final report row is FAILED (including those a cancelled or failed import never reached, " +
          "and every entry of a discarded all_or_none import), in entry order, streamed. json: an array of {entry_num, line " +
          "(CSV, NDJSON) or row (XLSX), errors, entry}; csv: the entries' keys as columns and a last import_errors column. The entries " +
          "are kept for IMPORT_RETENTION_HOURS after the import ends; later the answer is 410.",
        security: bearerSecurity,
        params: ImportIdParams,
        querystring: FailedEntriesQuery,
        response: {
          200: streamedResponse(
            "format=json: the failed entries; format=csv: their keys as columns and an import_errors column",
            { "application/json": { schema: Type.Array(FailedEntrySchema) }, "text/csv": { schema: BinaryFile } },
            "Content-Disposition",
          ),
          ...errors(400, 401, 404, 410),
        },
      },
    },
    async (request, reply) => {
      const store = storeOf(request);
      const row = await importOf(store, request.params.import_id);
      if (!(await imports.hasPayloads(row.id))) {
        throw new HttpError(410, `the entries of import ${row.id} are no longer kept (IMPORT_RETENTION_HOURS after it ended)`);
      }
      const label = locationLabel(row.format);
      const name = `import-${row.id}-failed-entries`;
      if (request.query.format === "csv") {
        reply.header("content-type", "text/csv; charset=utf-8").header("content-disposition", attachment(`${name}.csv`));
        return reply.send(await failedEntriesCsv(() => imports.failedEntries(row), identifyingColumns(row)));
      }
      reply.header("content-type", "application/json; charset=utf-8").header("content-disposition", attachment(`${name}.json`));
      return reply.send(failedEntriesJson(imports.failedEntries(row), row.format === "json" ? undefined : label));
    },
  );
};

/** The columns an import read the ID and the name from, as the file named them (before the columns option). */
function identifyingColumns(row: { id_mapping_field: string | null; name_mapping_field: string | null; options: string }): string[] {
  const { columns } = parseStoredOptions(row.options);
  const sources = columns ? sourceColumns(columns) : new Map<string, string>();
  const id = row.id_mapping_field ?? "id";
  const name = row.name_mapping_field ?? "name";
  return [sources.get(id) ?? id, sources.get(name) ?? name];
}
