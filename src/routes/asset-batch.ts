import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { principalOf, storeOf } from "../auth/authenticate.js";
import { decideBatchCreate, decideBatchPatch, MAX_BATCH } from "../assets/batch.js";
import { toFlatAsset } from "../assets/flat-asset.js";
import { AssetSchema, AssetWriteBody } from "../schemas/assets.js";
import { bearerSecurity, errors } from "../schemas/common.js";
import type { Services } from "../services.js";
import type { TenantStore } from "../storage/tenant-store.js";

// BIM 360's assets:batch-create, :batch-patch and :batch-get, synchronous
// and all or nothing, up to 1,000 assets a call (docs/assets.md).

const tags = ["Asset batches"];

// Items are checked one by one (assets/batch.ts), so that every bad one, a non-object too, is named.
const BatchItem = Type.Any({ description: AssetWriteBody.description, examples: AssetWriteBody.examples });
const BatchBody = Type.Array(BatchItem, { minItems: 1, maxItems: MAX_BATCH });
const BatchResults = Type.Object({ results: Type.Array(AssetSchema, { description: "The assets, in the order of the request" }) });
const BatchGetBody = Type.Object(
  { ids: Type.Array(Type.String({ maxLength: 255 }), { minItems: 1, maxItems: MAX_BATCH, description: "Asset IDs; a repeated one is answered once" }) },
  { additionalProperties: false },
);
const BatchGetResponse = Type.Object({
  results: Type.Array(AssetSchema, { description: "The assets found (deleted ones too, with is_active false), in the order asked" }),
  not_found: Type.Array(Type.String(), { description: "The IDs asked for that no asset has" }),
});

const ITEM_PROBLEMS = "Each refused item is listed in `details` as `{index, id, message}` (index: its 1-based position).";

export const assetBatchRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { now } = services;
  const fieldMap = async (store: TenantStore) => new Map((await store.fields.list()).map((f) => [f.name, f]));

  // "::" is a literal ":" in a Fastify path: the path is /api/v4/assets:batch-create.
  app.post(
    "/assets::batch-create",
    {
      config: { access: { role: "editor" } },
      schema: {
        operationId: "batchCreateAssets",
        tags,
        summary: "Create up to 1,000 assets, all or nothing",
        description:
          "Each item is an asset as POST /api/v4/assets takes it, checked the same way. 201 with every created asset. " +
          `400 when any item is invalid (or an ID appears twice), 409 when any ID exists (deleted assets too); nothing is written then. ${ITEM_PROBLEMS}`,
        security: bearerSecurity,
        body: BatchBody,
        response: { 201: BatchResults, ...errors(400, 401, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const store = storeOf(request);
      const { ids, decide } = decideBatchCreate(request.body, await fieldMap(store));
      const written = await store.assetWriter.writeMany({ actor: principalOf(request).actor, now: now() }, ids, decide);
      const catalog = await store.catalog();
      return reply.code(201).send({ results: ids.map((id) => toFlatAsset(written.get(id)!, catalog)) });
    },
  );

  app.post(
    "/assets::batch-patch",
    {
      config: { access: { role: "editor" } },
      schema: {
        operationId: "batchPatchAssets",
        tags,
        summary: "Change up to 1,000 assets, all or nothing",
        description:
          "Each item is `{id, ...changes}`, merged into the asset as PATCH /api/v4/assets/{id} merges. 200 with every named asset as it is after " +
          "(an asset left unchanged keeps its version). 400 when any item is invalid; else 404 when any asset is missing, 409 when any is deleted " +
          "(one answer names them all); " +
          `nothing is written then. ${ITEM_PROBLEMS}`,
        security: bearerSecurity,
        body: BatchBody,
        response: { 200: BatchResults, ...errors(400, 401, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const store = storeOf(request);
      const { ids, decide } = decideBatchPatch(request.body, await fieldMap(store));
      const written = await store.assetWriter.writeMany({ actor: principalOf(request).actor, now: now() }, ids, decide);
      const catalog = await store.catalog();
      return { results: ids.map((id) => toFlatAsset(written.get(id)!, catalog)) };
    },
  );

  app.post(
    "/assets::batch-get",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "batchGetAssets",
        tags,
        summary: "Read up to 1,000 assets by ID",
        description: "Unlike BIM 360's, the answer also lists the IDs that no asset has, in `not_found`.",
        security: bearerSecurity,
        body: BatchGetBody,
        response: { 200: BatchGetResponse, ...errors(400, 401, 413, 415) },
      },
    },
    async (request) => {
      const store = storeOf(request);
      const ids = [...new Set(request.body.ids)];
      const rows = new Map((await store.assets.getMany(ids)).map((row) => [row.id, row]));
      const catalog = await store.catalog();
      return {
        results: ids.filter((id) => rows.has(id)).map((id) => toFlatAsset(rows.get(id)!, catalog)),
        not_found: ids.filter((id) => !rows.has(id)),
      };
    },
  );
};
