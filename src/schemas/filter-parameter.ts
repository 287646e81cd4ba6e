// The asset filters are query parameters named `filter[<field>][<operator>]`.
// The request schema accepts them with patternProperties, which the OpenAPI
// generator cannot express as parameters and drops; this adds them back as
// one deepObject parameter to every operation that takes the list's filters
// (recognised by its include_inactive parameter).

interface Parameter {
  name: string;
  in: string;
  [key: string]: unknown;
}

export interface OpenApiDocument {
  paths?: Record<string, Record<string, { parameters?: Parameter[] }>>;
  [key: string]: unknown;
}

const FILTER_PARAMETER: Parameter = {
  name: "filter",
  in: "query",
  style: "deepObject",
  explode: true,
  required: false,
  description:
    "filter[<field>]=<value> or filter[<field>][<operator>]=<value>, ANDed. Operators: eq, ne, in, all, gt, gte, lt, lte, contains, empty " +
    "(docs/query.md). Examples: filter[price][gte]=10, filter[state][in]=active,spare, filter[serial][empty]=true.",
  schema: {
    type: "object",
    additionalProperties: {
      oneOf: [{ type: "string" }, { type: "object", additionalProperties: { type: "string" } }],
    },
  },
};

export function withFilterParameter(document: OpenApiDocument): OpenApiDocument {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const parameters = operation.parameters;
      if (parameters?.some((p) => p.in === "query" && p.name === "include_inactive") && !parameters.some((p) => p.name === "filter")) {
        parameters.push(FILTER_PARAMETER);
      }
    }
  }
  return document;
}
