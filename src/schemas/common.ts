import { Type, type IntegerOptions, type SchemaOptions, type TSchema, type TUnknown } from "@sinclair/typebox";

export const ErrorSchema = Type.Object(
  {
    code: Type.Integer({ description: "The HTTP status" }),
    error: Type.String({ description: "Readable reason" }),
    details: Type.Optional(Type.Array(Type.Unknown())),
  },
  { $id: "Error", description: "Every 4xx and 5xx answer" },
);

/**
 * One of fixed strings, as `enum` (OpenAPI 3.0 has no `const`, and Swagger UI
 * offers an enum's values in a drop-down); typed as the union of the values.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });
}

export const errorRef = Type.Ref(ErrorSchema);

/** Error responses a route can give, by status, for its schema. */
export function errors(...codes: number[]): Record<number, typeof errorRef> {
  return Object.fromEntries(codes.map((c) => [c, errorRef]));
}

/**
 * An integer from the request. Ajv coerces the string "Infinity" to a number
 * that passes its integer check and skips its range checks; the `x-finite`
 * keyword (registered in app.ts) refuses it.
 */
export function RequestInteger(options: IntegerOptions = {}) {
  return Type.Integer({ ...options, "x-finite": true });
}

export const MAX_PAGE_SIZE = 1000;

export const PageQuery = {
  page: RequestInteger({ minimum: 1, maximum: 10_000_000, default: 1, description: "1-based page number" }),
  limit: RequestInteger({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50, description: "Items per page (max 1000)" }),
};

export function Paginated<T extends TSchema>(item: T, description: string) {
  return Type.Object(
    {
      collection: Type.Array(item),
      count: Type.Integer({ description: "Items on this page" }),
      page: Type.Integer(),
      total_count: Type.Integer(),
      total_pages: Type.Integer(),
    },
    { description },
  );
}

export interface Page<T> {
  collection: T[];
  count: number;
  page: number;
  total_count: number;
  total_pages: number;
}

export function toPage<T>(collection: T[], page: number, limit: number, totalCount: number): Page<T> {
  return { collection, count: collection.length, page, total_count: totalCount, total_pages: Math.ceil(totalCount / limit) };
}

export const Timestamp = Type.String({ format: "date-time", description: "RFC 3339, UTC, milliseconds" });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export const bearerSecurity = [{ bearer: [] as string[] }];

/** Headers some answers carry, as the OpenAPI document describes them. */
const RESPONSE_HEADERS = {
  ETag: { type: "string", description: 'The asset\'s version, e.g. "3": send it back as If-Match to change the asset only if nobody else has' },
  Location: { type: "string", description: "The URL of what was created" },
  "Content-Disposition": { type: "string", description: "attachment, with the file's name" },
  "Idempotent-Replayed": { type: "string", enum: ["true"], description: "Present when an Idempotency-Key repeated an earlier request: the answer is that request's" },
} as const;

/**
 * A response schema with the headers its answer carries, for the OpenAPI
 * document (@fastify/swagger moves `headers` out of the schema into the
 * response); validation and serialisation ignore them.
 */
export function withHeaders<T extends object>(schema: T, ...names: Array<keyof typeof RESPONSE_HEADERS>): T {
  return { ...schema, headers: Object.fromEntries(names.map((name) => [name, RESPONSE_HEADERS[name]])) };
}

/** A file in a response (CSV, NDJSON, XLSX): bytes, not a JSON value. */
export const BinaryFile = Type.String({ format: "binary" });

/** A media type as an OpenAPI content key: without parameters such as charset. */
export const mediaTypeKey = (contentType: string) => contentType.split(";")[0]!.trim();

/**
 * A response whose body is streamed (an export, failed entries): described
 * per media type for the document, typed as unknown for the handler, since a
 * stream cannot be checked against a schema at compile time.
 */
export function streamedResponse(description: string, content: Record<string, { schema: object }>, ...headers: Array<keyof typeof RESPONSE_HEADERS>): TUnknown {
  return withHeaders({ description, content }, ...headers) as unknown as TUnknown;
}
