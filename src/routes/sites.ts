import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { storeOf } from "../auth/authenticate.js";
import { conflict, notFound } from "../http/errors.js";
import { checkChosenId } from "../import/validate-entry.js";
import { errors, Paginated, PageQuery, toPage, withHeaders } from "../schemas/common.js";
import { NewSiteBody, SiteIdParams, SitePatchBody, SiteSchema, toSite } from "../schemas/sites.js";
import type { Services } from "../services.js";

const tags = ["Sites"];
const readers = { access: { role: "viewer" } } as const;
const admins = { access: { role: "admin" } } as const;

export const siteRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { now } = services;
  const missing = (id: string) => notFound(`site '${id}' not found`);

  app.get(
    "/sites",
    { config: readers, schema: { operationId: "listSites", tags, summary: "The tenant's sites, by ID", querystring: Type.Object(PageQuery, { additionalProperties: false }), response: { 200: Paginated(SiteSchema, "A page of sites") } } },
    async (request) => {
      const { page, limit } = request.query;
      const { rows, total } = await storeOf(request).sites.list((page - 1) * limit, limit);
      return toPage(rows.map(toSite), page, limit, total);
    },
  );

  app.post(
    "/sites",
    {
      config: admins,
      schema: { operationId: "createSite", tags, summary: "Create a site", description: "409 when the ID is taken.", body: NewSiteBody, response: { 201: withHeaders(SiteSchema, "Location"), ...errors(409) } },
    },
    async (request, reply) => {
      const { id, name, description = "" } = request.body;
      checkChosenId("id", id);
      const created = await storeOf(request).sites.create(id, { name, description }, now());
      if (!created) throw conflict(`a site with the ID '${id}' exists`);
      return reply.code(201).header("location", `/api/v4/sites/${id}`).send(toSite(created));
    },
  );

  app.get(
    "/sites/:site_id",
    { config: readers, schema: { operationId: "getSite", tags, summary: "One site", params: SiteIdParams, response: { 200: SiteSchema, ...errors(404) } } },
    async (request) => {
      const site = await storeOf(request).sites.get(request.params.site_id);
      if (!site) throw missing(request.params.site_id);
      return toSite(site);
    },
  );

  app.patch(
    "/sites/:site_id",
    {
      config: admins,
      schema: { operationId: "updateSite", tags, summary: "Rename or describe a site", description: "The ID cannot change.", params: SiteIdParams, body: SitePatchBody, response: { 200: SiteSchema, ...errors(404) } },
    },
    async (request) => {
      const site = await storeOf(request).sites.update(request.params.site_id, request.body, now());
      if (!site) throw missing(request.params.site_id);
      return toSite(site);
    },
  );

  app.delete(
    "/sites/:site_id",
    {
      config: admins,
      schema: {
        operationId: "deleteSite",
        tags,
        summary: "Delete a site",
        description: "409 while any asset is at the site, deleted assets included (they may be restored).",
        params: SiteIdParams,
        response: { 204: { type: "null", description: "Deleted" }, ...errors(404, 409) },
      },
    },
    async (request, reply) => {
      const { site_id } = request.params;
      const outcome = await storeOf(request).sites.delete(site_id);
      if (outcome === "missing") throw missing(site_id);
      if (outcome === "in-use") throw conflict(`site '${site_id}' has assets (deleted ones included, as they may be restored): move them to another site first`);
      return reply.code(204).send();
    },
  );
};
