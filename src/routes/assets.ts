import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { principalOf } from "../auth/authenticate.js";
import { notFound } from "../http/errors.js";
import { decodeCursor, encodeCursor } from "../assets/cursor.js";
import { parseAssetQuery, parseProjection, project } from "../assets/list-query.js";
import { badRequest } from "../http/errors.js";
import { AssetIdParams, AssetListQuery, AssetListResponse, AssetSchema, type FlatAsset } from "../schemas/assets.js";
import { bearerSecurity, errors } from "../schemas/common.js";
import { orderKeys } from "../storage/asset-list.js";
import type { Services } from "../services.js";
import type { AssetRow } from "../storage/assets.js";
import { formatNullableTime, formatTime } from "../time.js";

/** The flat asset of the contract: system fields and custom values side by side. */
export function toFlatAsset(row: AssetRow): FlatAsset {
  return {
    id: row.id,
    uid: row.uid,
    name: row.name,
    ...(JSON.parse(row.data) as Record<string, unknown>),
    created_at: formatTime(row.created_at),
    created_by: row.created_by,
    updated_at: formatTime(row.updated_at),
    updated_by: row.updated_by,
    version: row.version,
    is_active: row.is_active === 1,
    deleted_at: formatNullableTime(row.deleted_at),
    site_id: row.site_id,
    site_name: null,
  };
}

const tags = ["Assets"];

export const assetRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { assets, fields } = services;

  app.get(
    "/assets",
    {
      schema: {
        tags,
        summary: "List and query assets",
        description:
          "Active assets (all with include_inactive=true), filtered, searched and sorted; by default in ID order (byte order). " +
          "Page mode (page, limit) gives totals; cursor mode (cursor=next_cursor) pages any depth without them. " +
          "The filter syntax, with examples, is in docs/query.md.",
        security: bearerSecurity,
        querystring: AssetListQuery,
        response: { 200: AssetListResponse, ...errors(400, 401) },
      },
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const params = request.query;
      const definitions = await fields.list(tenantId);
      const byName = new Map(definitions.map((f) => [f.name, f]));
      const query = parseAssetQuery(params, byName);
      if (query.ids && query.ids.length > 1000) throw badRequest("ids: at most 1000 IDs");
      const projection = parseProjection(params.idonly, params.fields, byName);
      const keys = orderKeys(query.sort);
      const { limit } = params;
      const cursorMode = params.cursor !== undefined;
      if (cursorMode && request.query.page !== 1) throw badRequest("give either cursor or page, not both");
      const listRequest = {
        query,
        fields: definitions,
        limit,
        ...(cursorMode ? { after: decodeCursor(keys, params.cursor!) } : { offset: (params.page - 1) * limit }),
      };
      const [{ rows, more }, total] = await Promise.all([
        assets.list(tenantId, listRequest),
        cursorMode ? Promise.resolve(undefined) : assets.count(tenantId, listRequest),
      ]);
      const collection = rows.map((row) => project(toFlatAsset(row), projection));
      const last = rows.at(-1);
      const next_cursor = more && last ? encodeCursor(keys, last.sortValues) : null;
      if (total === undefined) return { collection, count: collection.length, next_cursor };
      return { collection, count: collection.length, page: params.page, total_count: total, total_pages: Math.ceil(total / limit), next_cursor };
    },
  );

  app.get(
    "/assets/:id",
    {
      schema: {
        tags,
        summary: "Get one asset",
        security: bearerSecurity,
        params: AssetIdParams,
        response: { 200: AssetSchema, ...errors(401, 404) },
      },
    },
    async (request) => {
      const row = await assets.get(principalOf(request).tenantId, request.params.id);
      if (!row) throw notFound(`asset '${request.params.id}' not found`);
      return toFlatAsset(row);
    },
  );
};
