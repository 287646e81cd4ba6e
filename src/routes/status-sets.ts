import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { storeOf } from "../auth/authenticate.js";
import { badRequest, conflict, notFound } from "../http/errors.js";
import { checkChosenId } from "../import/validate-entry.js";
import { errors, Paginated, PageQuery, toPage, withHeaders } from "../schemas/common.js";
import { NewStatusSetBody, StatusSetIdParams, StatusSetPatchBody, StatusSetSchema, toStatusSet } from "../schemas/categories.js";
import type { Services } from "../services.js";
import type { Status } from "../storage/status-sets.js";

const tags = ["Categories and statuses"];
const readers = { access: { role: "viewer" } } as const;
const admins = { access: { role: "admin" } } as const;

/** Refuses a status list with an invalid ID, or a repeated ID or name (names compared case-insensitively). */
function checkStatuses(statuses: Status[]): void {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const [i, { id, name }] of statuses.entries()) {
    checkChosenId(`statuses[${i}].id`, id);
    if (ids.has(id)) throw badRequest(`statuses[${i}].id '${id}' appears twice`);
    if (names.has(name.toLowerCase())) throw badRequest(`statuses[${i}].name '${name}' appears twice`);
    ids.add(id);
    names.add(name.toLowerCase());
  }
}

export const statusSetRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { now } = services;
  const missing = (id: string) => notFound(`status set '${id}' not found`);

  app.get(
    "/status-sets",
    { config: readers, schema: { operationId: "listStatusSets", tags, summary: "The tenant's status sets, by ID", querystring: Type.Object(PageQuery, { additionalProperties: false }), response: { 200: Paginated(StatusSetSchema, "A page of status sets") } } },
    async (request) => {
      const { page, limit } = request.query;
      const { rows, total } = await storeOf(request).statusSets.list((page - 1) * limit, limit);
      return toPage(rows.map(toStatusSet), page, limit, total);
    },
  );

  app.post(
    "/status-sets",
    { config: admins, schema: { operationId: "createStatusSet", tags, summary: "Create a status set: ordered statuses", description: "409 when the ID is taken.", body: NewStatusSetBody, response: { 201: withHeaders(StatusSetSchema, "Location"), ...errors(409) } } },
    async (request, reply) => {
      const { id, name, statuses } = request.body;
      checkChosenId("id", id);
      checkStatuses(statuses);
      const created = await storeOf(request).statusSets.create(id, { name, statuses }, now());
      if (!created) throw conflict(`a status set with the ID '${id}' exists`);
      return reply.code(201).header("location", `/api/v4/status-sets/${id}`).send(toStatusSet(created));
    },
  );

  app.get(
    "/status-sets/:status_set_id",
    { config: readers, schema: { operationId: "getStatusSet", tags, summary: "One status set", params: StatusSetIdParams, response: { 200: StatusSetSchema, ...errors(404) } } },
    async (request) => {
      const set = await storeOf(request).statusSets.get(request.params.status_set_id);
      if (!set) throw missing(request.params.status_set_id);
      return toStatusSet(set);
    },
  );

  app.patch(
    "/status-sets/:status_set_id",
    {
      config: admins,
      schema: {
        operationId: "updateStatusSet",
        tags,
        summary: "Rename a status set, or replace its statuses (their order included)",
        description: "409, changing nothing, when a status left out is still an asset's status (deleted assets included).",
        params: StatusSetIdParams,
        body: StatusSetPatchBody,
        response: { 200: StatusSetSchema, ...errors(404, 409) },
      },
    },
    async (request) => {
      if (request.body.statuses) checkStatuses(request.body.statuses);
      const set = await storeOf(request).statusSets.update(request.params.status_set_id, request.body, now());
      if (!set) throw missing(request.params.status_set_id);
      if ("inUse" in set) throw conflict(`status '${set.inUse}' is still the status of assets: give them another status first`);
      return toStatusSet(set);
    },
  );

  app.delete(
    "/status-sets/:status_set_id",
    {
      config: admins,
      schema: {
        operationId: "deleteStatusSet",
        tags,
        summary: "Delete a status set",
        description: "409 while a category names it.",
        params: StatusSetIdParams,
        response: { 204: { type: "null", description: "Deleted" }, ...errors(404, 409) },
      },
    },
    async (request, reply) => {
      const { status_set_id } = request.params;
      const outcome = await storeOf(request).statusSets.delete(status_set_id);
      if (outcome === "missing") throw missing(status_set_id);
      if (outcome === "in-use") throw conflict(`status set '${status_set_id}' is used by a category: give the category another set first`);
      return reply.code(204).send();
    },
  );
};
