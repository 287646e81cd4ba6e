import { Readable } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { storeOf } from "../auth/authenticate.js";
import { attachment } from "../http/download.js";
import { parseAssetQuery } from "../assets/list-query.js";
import { EXPORT_MEDIA_TYPES, serialiseExport, type ExportEntry, type ExportFormat } from "../export/serialise.js";
import { badRequest, notFound } from "../http/errors.js";
import { setOwn } from "../import/validate-entry.js";
import { AssetFilterParams, AssetIdParams, withFilters } from "../schemas/assets.js";
import { bearerSecurity, BinaryFile, errors, mediaTypeKey, streamedResponse, StringEnum } from "../schemas/common.js";
import type { Services } from "../services.js";
import type { SortValue } from "../assets/cursor.js";
import type { AssetRow } from "../storage/assets.js";
import { ATTRIBUTE_COLUMNS, joinAttributes, type ExportedColumn } from "../assets/attributes.js";

// Exports are import-ready: each entry is the asset's ID, name, attributes
// (description, tags, category, status, site_id; site_name is derived) and
// custom values, which imported into a tenant with the same fields and
// catalog reproduce it.
// System fields (uid, times, version, is_active) stay behind: they describe
// this registry's copy, and an import would warn about each of them.

/** Assets read per query while streaming: memory holds one chunk at a time. */
const EXPORT_CHUNK = 2_000;

const FORMATS = ["json", "ndjson", "csv", "xlsx"] as const;
const EXTENSIONS: Record<ExportFormat, string> = { json: "json", ndjson: "ndjson", csv: "csv", xlsx: "xlsx" };

const ExportOptionsParams = {
  format: StringEnum(FORMATS, { default: "json", description: "json: an array; ndjson: one object per line; csv: a header row then one row per asset; xlsx: one sheet" },
  ),
  formula_protection: Type.Boolean({
    default: false,
    description:
      "CSV and XLSX: prefix text cells that start with = + - @, tab or carriage return with ' so spreadsheets do not run them as formulas. " +
      "Off by default because it changes values: such a file is for reading in a spreadsheet, not for importing again.",
  }),
};

const ExportQuery = withFilters(
  { ...AssetFilterParams, ...ExportOptionsParams },
  "The list's filters, search, include_inactive and order (docs/query.md), and the format.",
);

export function toExportEntry(row: Pick<AssetRow, "id" | "name" | "data" | ExportedColumn>): ExportEntry {
  const entry: ExportEntry = { id: row.id, name: row.name };
  const data = joinAttributes(row);
  for (const key in data) setOwn(entry, key, data[key]);
  return entry;
}

const tags = ["Export"];

const ExportEntrySchema = Type.Object(
  { id: Type.String(), name: Type.String() },
  { additionalProperties: true, description: "The ID, the name, the asset model's attributes and the custom values, flat, as an import takes them" },
);

/** The export's answer: JSON as `json` (an array of entries, or one entry), every other format as a file. */
function fileResponse(json: typeof ExportEntrySchema | ReturnType<typeof Type.Array<typeof ExportEntrySchema>>) {
  const content = Object.fromEntries(
    Object.entries(EXPORT_MEDIA_TYPES).map(([format, type]) => [mediaTypeKey(type), { schema: format === "json" ? json : BinaryFile }]),
  );
  return streamedResponse("The file, streamed", content, "Content-Disposition");
}

export const exportRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {

  app.get(
    "/assets-export",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "exportAssets",
        tags,
        summary: "Export assets (import-ready)",
        description:
          "Streams the assets the list would return, in its order (ID order by default), read a chunk at a time. " +
          "Each entry holds the ID, the name and the custom values; importing the file into a tenant with the same fields reproduces them. " +
          "CSV and XLSX cannot tell an empty text or an empty MultiSelect from no value; JSON and NDJSON are exact.",
        security: bearerSecurity,
        querystring: ExportQuery,
        response: { 200: fileResponse(Type.Array(ExportEntrySchema)), ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      const store = storeOf(request);
      const params = request.query;
      const definitions = await store.fields.list();
      const query = parseAssetQuery(params, new Map(definitions.map((f) => [f.name, f])), await store.catalog());
      if (query.ids && query.ids.length > 1000) throw badRequest("ids: at most 1000 IDs");

      async function* chunks(): AsyncGenerator<ExportEntry[]> {
        let after: SortValue[] | undefined;
        for (;;) {
          const { rows, more } = await store.assets.list({ query, fields: definitions, limit: EXPORT_CHUNK, columns: ["id", "name", "data", ...ATTRIBUTE_COLUMNS], ...(after ? { after } : {}) });
          if (rows.length > 0) yield rows.map(toExportEntry);
          if (!more) return;
          after = rows.at(-1)!.sortValues;
        }
      }

      const format = params.format;
      const stamp = new Date(services.now()).toISOString().slice(0, 10);
      return reply
        .type(EXPORT_MEDIA_TYPES[format])
        .header("content-disposition", attachment(`assets-${stamp}.${EXTENSIONS[format]}`))
        .send(Readable.from(serialiseExport(format, definitions, chunks(), { formulaProtection: params.formula_protection }), { objectMode: false }));
    },
  );

  app.get(
    "/assets-export/:id",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "exportAsset",
        tags,
        summary: "Export one asset (import-ready)",
        description: "The asset's entry as the export writes it; json gives the entry object itself, not an array.",
        security: bearerSecurity,
        params: AssetIdParams,
        querystring: Type.Object(ExportOptionsParams, { additionalProperties: false }),
        response: { 200: fileResponse(ExportEntrySchema), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const store = storeOf(request);
      const row = await store.assets.get(request.params.id);
      if (!row) throw notFound(`asset '${request.params.id}' not found`);
      const { format, formula_protection } = request.query;
      const entry = toExportEntry(row);
      reply.type(EXPORT_MEDIA_TYPES[format]).header("content-disposition", attachment(`asset-${row.id}.${EXTENSIONS[format]}`));
      if (format === "json") return reply.send(JSON.stringify(entry));
      async function* one() {
        yield [entry];
      }
      return reply.send(Readable.from(serialiseExport(format, await store.fields.list(), one(), { formulaProtection: formula_protection }), { objectMode: false }));
    },
  );
};
