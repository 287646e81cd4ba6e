import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { principalOf } from "../auth/authenticate.js";
import { notFound } from "../http/errors.js";
import { AssetIdParams, AssetListQuery, AssetSchema, type FlatAsset } from "../schemas/assets.js";
import { bearerSecurity, errors, Paginated, toPage } from "../schemas/common.js";
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
  const { assets } = services;

  app.get(
    "/assets",
    {
      schema: {
        tags,
        summary: "List assets",
        description: "Active assets ordered by ID (byte order), a page at a time.",
        security: bearerSecurity,
        querystring: AssetListQuery,
        response: { 200: Paginated(AssetSchema, "A page of assets"), ...errors(400, 401) },
      },
    },
    async (request) => {
      const { page, limit } = request.query;
      const { rows, total } = await assets.list(principalOf(request).tenantId, (page - 1) * limit, limit);
      return toPage(rows.map(toFlatAsset), page, limit, total);
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
