import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { storeOf } from "../auth/authenticate.js";
import type { AssetCatalog } from "../assets/catalog.js";
import { parseAssetQuery, type Target } from "../assets/list-query.js";
import type { FieldDefinition } from "../fields/field-types.js";
import { badRequest } from "../http/errors.js";
import { AssetFilterParams, withFilters } from "../schemas/assets.js";
import { bearerSecurity, errors } from "../schemas/common.js";

/** Values answered at most: a chart of more would not be read. */
const MOST_GROUPS = 1_000;
const GROUPED_TYPES = new Set(["Select", "Checkbox"]);

const { search, ids, include_inactive } = AssetFilterParams;

const AssetStatsQuery = withFilters(
  {
    group_by: Type.String({ minLength: 1, maxLength: 255, description: "category, status, site, or the name of a Select or Checkbox field" }),
    search,
    ids,
    include_inactive,
  },
  "The assets counted: the list's filters (filter[...], search, ids, include_inactive), as GET /assets takes them",
);

const AssetStatsResponse = Type.Object(
  {
    group_by: Type.String(),
    total_count: Type.Integer({ description: "Assets that match the filters" }),
    groups: Type.Array(
      Type.Object({
        value: Type.Union([Type.String(), Type.Boolean(), Type.Null()], { description: "The category's, status's or site's ID, the Select option or the checkbox; null: none" }),
        name: Type.Optional(Type.String({ description: "The category's, status's or site's name" })),
        count: Type.Integer(),
      }),
      { description: "Most assets first, then by value" },
    ),
    more: Type.Boolean({ description: `Whether more than ${MOST_GROUPS} values hold assets (only the first are listed)` }),
  },
  { description: "How many assets hold each value" },
);

interface SystemGroup {
  column: "category_id" | "status_id" | "site_id";
  name: (catalog: AssetCatalog, id: string) => string | null;
}

// A Map, not an object: a group_by of "toString" or "constructor" must not find Object's own properties.
const GROUPS = new Map<string, SystemGroup>([
  ["category", { column: "category_id", name: (catalog, id) => catalog.categoryName(id) }],
  ["status", { column: "status_id", name: (catalog, id) => catalog.statusName(id) }],
  ["site", { column: "site_id", name: (catalog, id) => catalog.siteName(id) }],
]);
const systemGroup = (groupBy: string) => GROUPS.get(groupBy === "site_id" ? "site" : groupBy);

/** What `group_by` names, or a 400 that says what it takes. */
function groupTarget(groupBy: string, fields: ReadonlyMap<string, FieldDefinition>): Target {
  const system = systemGroup(groupBy);
  if (system) return { kind: "column", column: system.column, type: "SingleLineText" };
  const field = fields.get(groupBy);
  if (field && GROUPED_TYPES.has(field.type)) return { kind: "field", field };
  const why = field ? `'${groupBy}' is a ${field.type} field` : `there is no field '${groupBy}'`;
  throw badRequest(`group_by takes category, status, site or a Select or Checkbox field: ${why}`);
}

export const assetStatsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    // Not /assets/stats: "stats" is a valid asset ID, which that path would hide.
    "/asset-stats",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "countAssetsByValue",
        tags: ["Assets"],
        summary: "How many assets hold each category, status, site or Select value",
        description:
          "Counts the assets that match the list's filters by one attribute or field: for a dashboard's charts. Counts by " +
          "category, status or site without filters are kept per tenant and brought up to date from the change feed; other " +
          "answers are kept until the tenant's assets or fields change, as the list's totals are.",
        security: bearerSecurity,
        querystring: AssetStatsQuery,
        response: { 200: AssetStatsResponse, ...errors(400, 401) },
      },
    },
    async (request) => {
      const store = storeOf(request);
      const { group_by, ...params } = request.query;
      const definitions = await store.fields.list();
      const byName = new Map(definitions.map((f) => [f.name, f]));
      const catalog = await store.catalog();
      const target = groupTarget(group_by, byName);
      const query = parseAssetQuery(params, byName, catalog);
      if (query.ids && query.ids.length > 1000) throw badRequest("ids: at most 1000 IDs");
      const listRequest = { query, fields: definitions, limit: 0 };
      const { total, groups, more } = await store.assets.tally(listRequest, target, MOST_GROUPS);
      const system = systemGroup(group_by);
      return {
        group_by,
        total_count: total,
        groups: groups.map(({ value, count }) => {
          const name = system && typeof value === "string" ? system.name(catalog, value) : null;
          return { value: value as string | boolean | null, ...(name !== null ? { name } : {}), count };
        }),
        more,
      };
    },
  );
};
