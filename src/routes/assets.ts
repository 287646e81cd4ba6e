import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { principalOf, storeOf } from "../auth/authenticate.js";
import type { TenantStore } from "../storage/tenant-store.js";
import { notFound } from "../http/errors.js";
import { decodeCursor, encodeCursor } from "../assets/cursor.js";
import { parseAssetQuery, parseProjection, project } from "../assets/list-query.js";
import { Type } from "@sinclair/typebox";
import { badRequest } from "../http/errors.js";
import { isValidId } from "../import/validate-entry.js";
import { decideCreate, decideDelete, decidePatch, decideRestore, etagOf } from "../assets/edits.js";
import {
  AssetIdParams,
  AssetListQuery,
  AssetListResponse,
  AssetSchema,
  AssetWriteBody,
  ChangeFeedQuery,
  ChangeFeedResponse,
  ChangeSchema,
  IfMatchHeaders,
  NextIdQuery,
  NextIdResponse,
  type FlatAsset,
} from "../schemas/assets.js";
import { bearerSecurity, errors, PageQuery, Paginated, toPage, withHeaders } from "../schemas/common.js";
import { toChange } from "../assets/changes.js";
import { orderKeys } from "../storage/asset-list.js";
import type { Services } from "../services.js";
import { toFlatAsset } from "../assets/flat-asset.js";

/** The columns a history row keeps of the asset's state, which the feed's filters can read. */
const FEED_COLUMNS = new Set(["name", "is_active", "deleted_at", "version", "description", "tags", "category_id", "status_id", "site_id"]);

const tags = ["Assets"];
const historyTags = ["Asset history"];

export const assetRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { now } = services;
  const fieldMap = async (store: TenantStore) => new Map((await store.fields.list()).map((f) => [f.name, f]));

  app.get(
    "/assets",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "listAssets",
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
      const store = storeOf(request);
      const params = request.query;
      const definitions = await store.fields.list();
      const byName = new Map(definitions.map((f) => [f.name, f]));
      const catalog = await store.catalog();
      const query = parseAssetQuery(params, byName, catalog);
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
        // An empty cursor starts cursor paging at the first asset.
        ...(cursorMode ? (params.cursor ? { after: decodeCursor(keys, params.cursor) } : {}) : { offset: (params.page - 1) * limit }),
      };
      const [{ rows, more }, total] = await Promise.all([
        store.assets.list(listRequest),
        cursorMode ? Promise.resolve(undefined) : store.assets.count(listRequest),
      ]);
      const collection = rows.map((row) => project(toFlatAsset(row, catalog), projection));
      const last = rows.at(-1);
      const next_cursor = more && last ? encodeCursor(keys, last.sortValues) : null;
      if (total === undefined) return { collection, count: collection.length, next_cursor };
      return { collection, count: collection.length, page: params.page, total_count: total, total_pages: Math.ceil(total / limit), next_cursor };
    },
  );

  app.get(
    "/assets/:id",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "getAsset",
        tags,
        summary: "Get one asset",
        security: bearerSecurity,
        params: AssetIdParams,
        response: { 200: withHeaders(AssetSchema, "ETag"), ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      const store = storeOf(request);
      const row = await store.assets.get(request.params.id);
      if (!row) throw notFound(`asset '${request.params.id}' not found`);
      return reply.header("etag", etagOf(row.version)).send(toFlatAsset(row, await store.catalog()));
    },
  );

  app.get(
    "/assets/next-id",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "getNextAssetId",
        tags,
        summary: "The next free ID in a numbered series",
        description:
          "Like HaloPSA's NextTag: the IDs that are the prefix followed by digits form the series; the answer is the highest number plus one, " +
          "zero-padded to the width of that highest ID (`LAPTOP-0042` gives `LAPTOP-0043`), or the prefix and 1 when the series is empty. " +
          "Deleted assets keep their IDs and count. The ID is not reserved: a create that loses a race gets 409.",
        security: bearerSecurity,
        querystring: NextIdQuery,
        response: { 200: NextIdResponse, ...errors(400, 401) },
      },
    },
    async (request) => {
      const { prefix } = request.query;
      const highest = await storeOf(request).assets.highestInSeries(prefix);
      const digits = highest?.slice(prefix.length);
      const next = digits === undefined ? "1" : (BigInt(digits) + 1n).toString().padStart(digits.length, "0");
      const nextId = prefix + next;
      if (!isValidId(nextId)) throw badRequest(`'${nextId}' would not be a valid ID: an ID is 1-63 letters, digits and single hyphens, starting and ending with a letter or digit`);
      return { prefix, next_id: nextId };
    },
  );

  app.post(
    "/assets",
    {
      config: { access: { role: "editor" } },
      schema: {
        operationId: "createAsset",
        tags,
        summary: "Create an asset",
        description: "201 with the asset; 409 when the ID exists (also when that asset is deleted: restore it instead).",
        security: bearerSecurity,
        body: AssetWriteBody,
        response: { 201: withHeaders(AssetSchema, "ETag", "Location"), ...errors(400, 401, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const store = storeOf(request);
      const { id, decide } = decideCreate(request.body, await fieldMap(store));
      const row = (await store.assetWriter.write({ id, actor: principal.actor, now: now() }, decide))!;
      return reply
        .code(201)
        .header("etag", etagOf(row.version))
        .header("location", `/api/v4/assets/${encodeURIComponent(id)}`)
        .send(toFlatAsset(row, await store.catalog()));
    },
  );

  app.patch(
    "/assets/:id",
    {
      config: { access: { role: "editor" } },
      schema: {
        operationId: "updateAsset",
        tags,
        summary: "Change an asset (merge)",
        description:
          "Keys present are set, null clears a value, keys left out keep theirs; checked as the import checks values. " +
          "An asset that ends up unchanged keeps its version. If-Match makes the change conditional (412 when stale). 409 for a deleted asset.",
        security: bearerSecurity,
        params: AssetIdParams,
        headers: IfMatchHeaders,
        body: AssetWriteBody,
        response: { 200: withHeaders(AssetSchema, "ETag"), ...errors(400, 401, 404, 409, 412, 413, 415) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const store = storeOf(request);
      const { id } = request.params;
      const decide = decidePatch(id, request.body, await fieldMap(store), request.headers["if-match"]);
      const row = (await store.assetWriter.write({ id, actor: principal.actor, now: now() }, decide))!;
      return reply.header("etag", etagOf(row.version)).send(toFlatAsset(row, await store.catalog()));
    },
  );

  app.delete(
    "/assets/:id",
    {
      config: { access: { role: "editor" } },
      schema: {
        operationId: "deleteAsset",
        tags,
        summary: "Delete an asset (soft)",
        description:
          "Sets is_active false and deleted_at; the asset leaves lists (include_inactive=true shows it) and keeps its ID and history. " +
          "Deleting a deleted asset changes nothing. An import that names it restores it (docs/assets.md).",
        security: bearerSecurity,
        params: AssetIdParams,
        headers: IfMatchHeaders,
        response: { 204: { type: "null", description: "Deleted" }, ...errors(400, 401, 404, 412) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const store = storeOf(request);
      const { id } = request.params;
      const time = now();
      await store.assetWriter.write({ id, actor: principal.actor, now: time }, decideDelete(id, time, request.headers["if-match"]));
      return reply.code(204).send();
    },
  );

  app.post(
    "/assets/:id/restore",
    {
      config: { access: { role: "editor" } },
      schema: {
        operationId: "restoreAsset",
        tags,
        summary: "Restore a deleted asset",
        description: "Makes the asset active again with the values it had; restoring an active asset changes nothing.",
        security: bearerSecurity,
        params: AssetIdParams,
        headers: IfMatchHeaders,
        response: { 200: withHeaders(AssetSchema, "ETag"), ...errors(400, 401, 404, 412) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const store = storeOf(request);
      const { id } = request.params;
      const row = (await store.assetWriter.write({ id, actor: principal.actor, now: now() }, decideRestore(id, request.headers["if-match"])))!;
      return reply.header("etag", etagOf(row.version)).send(toFlatAsset(row, await store.catalog()));
    },
  );

  app.get(
    "/assets/:id/changes",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "listAssetHistory",
        tags: historyTags,
        summary: "An asset's change history, newest first",
        security: bearerSecurity,
        params: AssetIdParams,
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: Paginated(ChangeSchema, "A page of changes"), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const store = storeOf(request);
      const { page, limit } = request.query;
      const { changes, total } = await store.assetChanges.forAsset(request.params.id, (page - 1) * limit, limit);
      if (total === 0 && !(await store.assets.get(request.params.id))) throw notFound(`asset '${request.params.id}' not found`);
      return toPage(changes.map(({ row, previous }) => toChange(row, previous)), page, limit, total);
    },
  );

  app.get(
    "/asset-changes",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "listChanges",
        tags: historyTags,
        summary: "The tenant's change feed, for incremental sync",
        description:
          "Every asset change in the order it was committed. Start without since (or since=0), then pass next_cursor as since each time: " +
          "no change is ever missed or repeated. An empty page returns the same cursor; poll again later. " +
          "With filters, only the changes that left the asset matching them (filter[category][under]=plant follows one branch of the category tree). " +
          "orderdesc=true gives the newest changes first (a dashboard's latest changes) and, as next_cursor, the position to follow the feed from.",
        security: bearerSecurity,
        querystring: ChangeFeedQuery,
        response: { 200: ChangeFeedResponse, ...errors(400, 401) },
      },
    },
    async (request) => {
      const store = storeOf(request);
      const since = Number(request.query.since ?? "0");
      // orderdesc is the feed position's direction here, not a sort of the list's (which needs order=<field>).
      const { orderdesc, ...query } = request.query;
      const { filters } = parseAssetQuery(query, await fieldMap(store), await store.catalog());
      for (const filter of filters) {
        if (filter.target.kind === "column" && !FEED_COLUMNS.has(filter.target.column)) throw badRequest(`${filter.param}: the feed filters on the asset's state, which has no '${filter.target.column}'`);
      }
      const newestFirst = orderdesc === true;
      const changes = await store.assetChanges.feed(since, request.query.limit + 1, filters, newestFirst);
      const page = changes.slice(0, request.query.limit);
      // Newest first, the cursor is still where the feed goes on: after the newest change.
      const newest = newestFirst ? page[0] : page.at(-1);
      return {
        collection: page.map(({ row, previous }) => toChange(row, previous)),
        count: page.length,
        next_cursor: String(newest?.row.seq ?? since),
        has_more: changes.length > page.length,
      };
    },
  );
};
