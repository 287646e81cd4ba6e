import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { storeOf } from "../auth/authenticate.js";
import { CategoryTree } from "../assets/category-tree.js";
import { badRequest, conflict, notFound } from "../http/errors.js";
import { checkChosenId } from "../import/validate-entry.js";
import { CategoryIdParams, CategoryPatchBody, CategorySchema, NewCategoryBody, toCategory } from "../schemas/categories.js";
import { errors, Paginated, PageQuery, toPage, withHeaders } from "../schemas/common.js";
import type { Services } from "../services.js";
import type { TenantStore } from "../storage/tenant-store.js";

const tags = ["Categories and statuses"];
const readers = { access: { role: "viewer" } } as const;
const admins = { access: { role: "admin" } } as const;

export const categoryRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { now } = services;
  const missing = (id: string) => notFound(`category '${id}' not found`);
  const treeOf = async (store: TenantStore) => new CategoryTree(await store.categories.all());

  app.get(
    "/categories",
    {
      config: readers,
      schema: {
        operationId: "listCategories",
        tags,
        summary: "The tenant's categories, by ID",
        description: "Each with its path from the top, and the fields and status set it has with its ancestors'.",
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Paginated(CategorySchema, "A page of categories") },
      },
    },
    async (request) => {
      const { page, limit } = request.query;
      const all = await storeOf(request).categories.all();
      const tree = new CategoryTree(all);
      return toPage(all.slice((page - 1) * limit, page * limit).map((row) => toCategory(row, tree)), page, limit, all.length);
    },
  );

  app.post(
    "/categories",
    {
      config: admins,
      schema: {
        operationId: "createCategory",
        tags,
        summary: "Create a category",
        description: "409 when the ID is taken; 400 for a parent, status set or field that does not exist.",
        body: NewCategoryBody,
        response: { 201: withHeaders(CategorySchema, "Location"), ...errors(409) },
      },
    },
    async (request, reply) => {
      const { id, name, parent_id = null, status_set_id = null, fields = [] } = request.body;
      checkChosenId("id", id);
      const store = storeOf(request);
      const created = await store.categories.create(id, { name, parent_id, status_set_id, fields }, now());
      if (!created) throw conflict(`a category with the ID '${id}' exists`);
      if ("invalid" in created) throw badRequest(created.invalid);
      return reply.code(201).header("location", `/api/v4/categories/${id}`).send(toCategory(created, await treeOf(store)));
    },
  );

  app.get(
    "/categories/:category_id",
    { config: readers, schema: { operationId: "getCategory", tags, summary: "One category", params: CategoryIdParams, response: { 200: CategorySchema, ...errors(404) } } },
    async (request) => {
      const tree = await treeOf(storeOf(request));
      const category = tree.get(request.params.category_id);
      if (!category) throw missing(request.params.category_id);
      return toCategory(category, tree);
    },
  );

  app.patch(
    "/categories/:category_id",
    {
      config: admins,
      schema: {
        operationId: "updateCategory",
        tags,
        summary: "Rename, move, or change a category's status set or fields",
        description:
          "`fields` replaces the category's own fields (values of fields that no longer apply stay on the assets). 400 for a parent that is the category or below it. " +
          "409, changing nothing, when a new parent or status set would leave an asset of the category or below it with a status its set does not have.",
        params: CategoryIdParams,
        body: CategoryPatchBody,
        response: { 200: CategorySchema, ...errors(404, 409) },
      },
    },
    async (request) => {
      const { category_id } = request.params;
      const store = storeOf(request);
      const updated = await store.categories.update(category_id, request.body, now());
      if (!updated) throw missing(category_id);
      if ("invalid" in updated) throw badRequest(updated.invalid);
      if ("stranded" in updated) {
        const { category, status } = updated.stranded;
        throw conflict(`assets of category '${category}' have the status '${status}', which the category's new status set does not have: give them another status first`);
      }
      return toCategory(updated, await treeOf(store));
    },
  );

  app.delete(
    "/categories/:category_id",
    {
      config: admins,
      schema: {
        operationId: "deleteCategory",
        tags,
        summary: "Delete a category",
        description: "409 while it has subcategories, or while an asset has it (deleted assets included).",
        params: CategoryIdParams,
        response: { 204: { type: "null", description: "Deleted" }, ...errors(404, 409) },
      },
    },
    async (request, reply) => {
      const { category_id } = request.params;
      const outcome = await storeOf(request).categories.delete(category_id);
      if (outcome === "missing") throw missing(category_id);
      if (outcome === "in-use") throw conflict(`category '${category_id}' has assets (deleted ones included, as they may be restored): give them another category first`);
      if (outcome === "has-children") throw conflict(`category '${category_id}' has subcategories: move or delete them first`);
      return reply.code(204).send();
    },
  );
};
