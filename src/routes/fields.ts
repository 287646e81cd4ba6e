import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { storeOf } from "../auth/authenticate.js";
import { checkDescription, checkFieldName, normaliseDefinition } from "../fields/field-rules.js";
import { SYSTEM_FIELDS, hasOptions } from "../fields/field-types.js";
import { badRequest, conflict, HttpError, notFound } from "../http/errors.js";
import { bearerSecurity, errors, Paginated, toPage } from "../schemas/common.js";
import { CreateFieldBody, FieldListQuery, FieldNameParams, FieldSchema, UpdateFieldBody, type FieldResponse } from "../schemas/fields.js";
import type { Services } from "../services.js";
import type { StoredField } from "../storage/fields.js";
import { formatTime } from "../time.js";

const systemFields: FieldResponse[] = SYSTEM_FIELDS.map((f) => ({ ...f, system: true, indexed: f.name === "id" }));

function toResponse(field: StoredField): FieldResponse {
  return {
    name: field.name,
    type: field.type,
    system: false,
    description: field.description,
    ...(field.options ? { options: [...field.options] } : {}),
    ...(field.precision !== undefined ? { precision: field.precision } : {}),
    indexed: field.indexed,
    created_at: formatTime(field.created_at),
    updated_at: formatTime(field.updated_at),
  };
}

const tags = ["Asset fields"];

export const fieldRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { now } = services;

  app.get(
    "/asset-fields",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "listAssetFields",
        tags,
        summary: "List system and custom fields",
        description: "System fields come first, then custom fields by name.",
        security: bearerSecurity,
        querystring: FieldListQuery,
        response: { 200: Paginated(FieldSchema, "A page of fields"), ...errors(400, 401) },
      },
    },
    async (request) => {
      const { page, limit, system } = request.query;
      const custom = (await storeOf(request).fields.list()).map(toResponse);
      const all = system === true ? systemFields : system === false ? custom : [...systemFields, ...custom];
      return toPage(all.slice((page - 1) * limit, page * limit), page, limit, all.length);
    },
  );

  app.post(
    "/asset-fields",
    {
      config: { access: { role: "admin" } },
      schema: {
        operationId: "createAssetField",
        tags,
        summary: "Create a custom field",
        security: bearerSecurity,
        body: CreateFieldBody,
        response: { 201: FieldSchema, ...errors(400, 401, 409) },
      },
    },
    async (request, reply) => {
      const store = storeOf(request);
      const body = request.body;
      checkFieldName(body.name);
      checkDescription(body.description);
      const definition = normaliseDefinition(body);
      if (await store.fields.get(body.name)) throw conflict(`a field named '${body.name}' exists`);
      const created = await store.fields.create({ ...definition, description: body.description ?? "", indexed: body.indexed ?? false }, now());
      return reply.code(201).send(toResponse(created));
    },
  );

  app.get(
    "/asset-fields/:name",
    {
      config: { access: { role: "viewer" } },
      schema: {
        operationId: "getAssetField",
        tags,
        summary: "Get one field, system or custom",
        security: bearerSecurity,
        params: FieldNameParams,
        response: { 200: FieldSchema, ...errors(401, 404) },
      },
    },
    async (request) => {
      const { name } = request.params;
      const system = systemFields.find((f) => f.name === name);
      if (system) return system;
      const field = await storeOf(request).fields.get(name);
      if (!field) throw notFound(`field '${name}' not found`);
      return toResponse(field);
    },
  );

  app.patch(
    "/asset-fields/:name",
    {
      config: { access: { role: "admin" } },
      schema: {
        operationId: "updateAssetField",
        tags,
        summary: "Change a custom field",
        description:
          "Description, options, precision and type can change. Fields cannot be renamed. " +
          "409 when the change would invalidate stored values: a type change while any asset holds a value, " +
          "removing an option that an asset holds, or lowering a Decimal's precision while values exist.",
        security: bearerSecurity,
        params: FieldNameParams,
        body: UpdateFieldBody,
        response: { 200: FieldSchema, ...errors(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const store = storeOf(request);
      const { name } = request.params;
      const body = request.body;
      if (SYSTEM_FIELDS.some((f) => f.name === name)) throw new HttpError(400, `'${name}' is a system field and cannot be changed`);
      checkDescription(body.description);
      const current = await store.fields.get(name);
      if (!current) throw notFound(`field '${name}' not found`);
      if (body.name !== undefined && body.name !== name) {
        throw badRequest("fields cannot be renamed: create a field with the new name and import its values");
      }
      const type = body.type ?? current.type;
      const typeChanged = type !== current.type;
      const next = normaliseDefinition({
        name,
        type,
        options: body.options ?? (typeChanged ? undefined : current.options ? [...current.options] : undefined),
        precision: body.precision ?? (typeChanged ? undefined : current.precision),
      });
      if (typeChanged && (await store.fields.anyAssetHoldsValue(name))) {
        throw conflict(`field '${name}' holds values: its type cannot change from ${current.type} to ${type}; clear its values first`);
      }
      if (!typeChanged && hasOptions(type)) {
        const removed = (current.options ?? []).filter((o) => !next.options?.includes(o));
        if (removed.length > 0) {
          const held = new Set((await store.fields.distinctValues(name)).flat());
          const inUse = removed.filter((o) => held.has(o));
          if (inUse.length > 0) throw conflict(`options still held by assets cannot be removed: ${inUse.join(", ")}`);
        }
      }
      if (!typeChanged && type === "Decimal" && (next.precision ?? 0) < (current.precision ?? 0)) {
        if (await store.fields.anyAssetHoldsValue(name)) throw conflict(`the precision of '${name}' cannot be lowered while assets hold values`);
      }
      const updated = await store.fields.update({ ...next, description: body.description ?? current.description, indexed: body.indexed ?? current.indexed }, current, now());
      return toResponse(updated);
    },
  );

  app.delete(
    "/asset-fields/:name",
    {
      config: { access: { role: "admin" } },
      schema: {
        operationId: "deleteAssetField",
        tags,
        summary: "Delete a custom field and its values",
        description:
          "Removes the field and its value from every asset of the tenant, in one transaction. " +
          "Asset versions are not raised: the values go with the field's definition. System fields cannot be deleted.",
        security: bearerSecurity,
        params: FieldNameParams,
        response: { 204: { type: "null", description: "Deleted" }, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      if (SYSTEM_FIELDS.some((f) => f.name === name)) throw badRequest(`'${name}' is a system field and cannot be deleted`);
      const deleted = await storeOf(request).fields.delete(name);
      if (!deleted) throw notFound(`field '${name}' not found`);
      return reply.code(204).send();
    },
  );
};
