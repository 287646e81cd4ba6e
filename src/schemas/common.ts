import { Type, type IntegerOptions, type TSchema } from "@sinclair/typebox";

export const ErrorSchema = Type.Object(
  {
    code: Type.Integer({ description: "The HTTP status" }),
    error: Type.String({ description: "Readable reason" }),
    details: Type.Optional(Type.Array(Type.Unknown())),
  },
  { $id: "Error", description: "Every 4xx and 5xx answer" },
);

export const errorRef = Type.Ref(ErrorSchema);

/** Error responses a route can give, by status, for its schema. */
export function errors(...codes: number[]): Record<number, typeof errorRef> {
  return Object.fromEntries(codes.map((c) => [c, errorRef]));
}

/**
 * An integer from the request. Ajv coerces the string "Infinity" to a number
 * that passes its integer check and skips its range checks; the `finite`
 * keyword (registered in app.ts) refuses it.
 */
export function RequestInteger(options: IntegerOptions = {}) {
  return Type.Integer({ ...options, finite: true });
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
