import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import { principalOf } from "../auth/authenticate.js";
import { checkEntries, checkSample } from "../import/accept.js";
import { describeMapping, type ImportMapping } from "../import/mapping.js";
import { notFound } from "../http/errors.js";
import { rawJsonOf } from "../http/json-body.js";
import { bearerSecurity, errors, Paginated, toPage } from "../schemas/common.js";
import { ImportEntries, ImportIdParams, ImportQuery, ImportStatusSchema, ReportQuery, ReportRowSchema } from "../schemas/imports.js";
import type { Services } from "../services.js";
import type { ImportRow, ReportStatus } from "../storage/imports.js";
import { formatTime } from "../time.js";

export function toImportStatus(row: ImportRow) {
  const ended = row.ended_at !== null && row.started_at !== null;
  return {
    import_id: row.id,
    resource: "assets" as const,
    status: row.status,
    config: describeMapping({ idField: row.id_mapping_field, nameField: row.name_mapping_field }),
    stats: {
      total_count: row.total_count,
      success_count: row.success_count,
      failed_count: row.failed_count,
      warning_count: row.warning_count,
      // A FAILED import counts what it did not process as failed.
      in_progress_count: row.status === "FAILED" ? 0 : row.total_count - row.processed_count,
    },
    created_at: formatTime(row.created_at),
    ...(row.started_at !== null ? { import_started_at: formatTime(row.started_at) } : {}),
    ...(ended ? { import_ended_at: formatTime(row.ended_at!), import_duration: `${(row.ended_at! - row.started_at!) / 1000}s` } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
  };
}

const tags = ["Asset import"];

export const importRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { imports, fields, config, now } = services;

  app.post(
    "/assets-import",
    {
      schema: {
        tags,
        summary: "Start an asset import (thingsHub v4)",
        description:
          "Accepts a JSON array of 1 to 50,000 entries and answers 202 once the entries are stored; the import then runs " +
          "in the background, after earlier imports of the tenant. Refused as a whole with 400 (not an array, no or too many " +
          "entries, an entry that is not an object, or every entry of the first 100 would fail), 413 (body too large) or 415.",
        security: bearerSecurity,
        querystring: ImportQuery,
        body: ImportEntries,
        response: { 202: ImportStatusSchema, ...errors(400, 401, 413, 415) },
      },
      // The entries are checked by checkEntries with messages that name the
      // entry; a schema validator would walk 50,000 objects for less.
      validatorCompiler: (route) => (route.httpPart === "body" ? (value: unknown) => ({ value }) : TypeBoxValidatorCompiler(route as unknown as Parameters<typeof TypeBoxValidatorCompiler>[0])),
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const entries: unknown = request.body;
      checkEntries(entries, config.IMPORT_MAX_ENTRIES);
      const mapping: ImportMapping = {
        idField: request.query.id_mapping_field ?? null,
        nameField: request.query.name_mapping_field ?? null,
      };
      const fieldMap = new Map((await fields.list(principal.tenantId)).map((f) => [f.name, f]));
      checkSample(entries, mapping, fieldMap);
      const row = await imports.create({
        tenantId: principal.tenantId,
        idMappingField: mapping.idField,
        nameMappingField: mapping.nameField,
        createdBy: principal.username,
        now: now(),
        totalCount: entries.length,
        // The body as received is the durable copy of the entries.
        payloads: [{ first_entry_num: 1, entry_count: entries.length, entries: rawJsonOf(request) }],
      });
      services.onImportAccepted();
      request.log.info({ import_id: row.id, entries: entries.length }, "import accepted");
      return reply.code(202).send(toImportStatus(row));
    },
  );

  app.get(
    "/assets-import",
    {
      schema: {
        tags,
        summary: "Status of the latest import",
        security: bearerSecurity,
        response: { 200: ImportStatusSchema, ...errors(401, 404) },
      },
    },
    async (request) => {
      const row = await imports.latest(principalOf(request).tenantId);
      if (!row) throw notFound("no import found");
      return toImportStatus(row);
    },
  );

  app.get(
    "/assets-import/full-report",
    {
      schema: {
        tags,
        summary: "Per-entry report of an import",
        description:
          "Rows in entry order; an entry's WARNING rows come before its final SUCCESS or FAILED row. " +
          "Entries not processed yet have no rows.",
        security: bearerSecurity,
        querystring: ReportQuery,
        response: { 200: Paginated(ReportRowSchema, "A page of report rows"), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const { import_id, status, page, limit } = request.query;
      const row = import_id === undefined ? await imports.latest(tenantId) : await imports.get(tenantId, import_id);
      if (!row) throw notFound(import_id === undefined ? "no import found" : `import ${import_id} not found`);
      const { rows, total } = await imports.reportPage(row, status as ReportStatus | undefined, (page - 1) * limit, limit);
      const collection = rows.map((r) => (r.message === null ? { entry_num: r.entry_num, status: r.status } : { ...r, message: r.message }));
      return toPage(collection, page, limit, total);
    },
  );

  app.get(
    "/assets-import/:import_id",
    {
      schema: {
        tags,
        summary: "Status of one import",
        security: bearerSecurity,
        params: ImportIdParams,
        response: { 200: ImportStatusSchema, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const row = await imports.get(principalOf(request).tenantId, request.params.import_id);
      if (!row) throw notFound(`import ${request.params.import_id} not found`);
      return toImportStatus(row);
    },
  );
};
