import type { Ajv } from "ajv";

/**
 * Ajv coerces the query string "Infinity" to a number that passes its integer
 * check and skips its range checks. Integers from requests carry `x-finite:
 * true` (schemas/common.ts, RequestInteger), which this keyword enforces. Its
 * name is an OpenAPI extension (`x-`), so the published document stays valid
 * OpenAPI that validators and client generators accept.
 */
export function finiteKeyword(ajv: Ajv): Ajv {
  // Not typed "number": Ajv runs its number keywords only for finite numbers.
  return ajv.addKeyword({
    keyword: "x-finite",
    schemaType: "boolean",
    error: { message: "must be a finite number" },
    validate: (finite: boolean, value: unknown) => !finite || typeof value !== "number" || Number.isFinite(value),
  });
}
