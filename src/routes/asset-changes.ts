import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { principalOf } from "../auth/authenticate.js";
import { notFound } from "../http/errors.js";
import { AssetChangeSchema, AssetChangesQuery, ChangeFeedQuery, ChangeFeedSchema } from "../schemas/asset-changes.js";
import { AssetIdParams } from "../schemas/assets.js";
import { bearerSecurity, errors, Paginated, toPage } from "../schemas/common.js";
import type { Services } from "../services.js";
import type { AssetChangeRow } from "../storage/asset-changes.js";
import { formatTime } from "../time.js";

export function toAssetChange(row: AssetChangeRow) {
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  for (const [key, [before, after]] of Object.entries(JSON.parse(row.changes) as Record<string, [unknown, unknown]>)) {
    Object.defineProperty(changes, key, { value: { old: before, new: after }, enumerable: true, writable: true, configurable: true });
  }
  return {
    change_id: row.id,
    asset_id: row.asset_id,
    version: row.version,
    changed_at: formatTime(row.changed_at),
    actor: row.actor,
    source: row.source as "import" | "api",
    ...(row.import_id !== null ? { import_id: row.import_id } : {}),
    ...(row.entry_num !== null ? { entry_num: row.entry_num } : {}),
    action: row.action as "created" | "updated" | "deleted" | "restored",
    changes,
  };
}

const tags = ["Asset history"];

export const assetChangeRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { assets, assetChanges } = services;

  app.get(
    "/assets/:id/changes",
    {
      schema: {
        tags,
        summary: "An asset's history",
        description: "Every change of the asset, oldest first: version, time, actor, source (an import and its entry, or the API) and each changed field's old and new value.",
        security: bearerSecurity,
        params: AssetIdParams,
        querystring: AssetChangesQuery,
        response: { 200: Paginated(AssetChangeSchema, "A page of changes"), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const { page, limit } = request.query;
      const { rows, total } = await assetChanges.forAsset(tenantId, request.params.id, (page - 1) * limit, limit);
      if (total === 0 && !(await assets.get(tenantId, request.params.id))) throw notFound(`asset '${request.params.id}' not found`);
      return toPage(rows.map(toAssetChange), page, limit, total);
    },
  );

  app.get(
    "/asset-changes",
    {
      schema: {
        tags,
        summary: "The tenant's change feed",
        description:
          "Changes in the order they were made, after the cursor `since`. A client that stores next_cursor and polls with it " +
          "sees every change once. See docs/history.md.",
        security: bearerSecurity,
        querystring: ChangeFeedQuery,
        response: { 200: ChangeFeedSchema, ...errors(400, 401) },
      },
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const after = Number(request.query.since ?? 0);
      const { limit } = request.query;
      // One more than asked tells whether more are waiting.
      const rows = await assetChanges.feed(tenantId, after, limit + 1);
      const page = rows.slice(0, limit);
      return {
        collection: page.map(toAssetChange),
        count: page.length,
        next_cursor: String(page.at(-1)?.id ?? after),
        has_more: rows.length > limit,
      };
    },
  );
};
