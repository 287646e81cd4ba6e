import { badRequest } from "../http/errors.js";
import { characterLength, isStorableText } from "./coerce.js";
import { DEFAULT_DECIMAL_PRECISION, hasOptions, isSystemFieldName, type FieldDefinition, type FieldType } from "./field-types.js";

// Checks a field definition as a whole (name, and the options and precision
// its type needs). Each violation is a 400 that names it.

export function checkFieldName(name: string): void {
  if (characterLength(name) > 255) throw badRequest("field name is longer than 255 characters");
  if (name.trim() === "") throw badRequest("field name must not be empty or only white space");
  if (name !== name.trim()) throw badRequest("field name must not start or end with white space");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw badRequest("field name must not contain control characters");
  if (!isStorableText(name)) throw badRequest("field name must not contain lone surrogates");
  if (isSystemFieldName(name)) throw badRequest(`'${name}' is a system field name`);
}

export function checkDescription(description: string | undefined): void {
  if (description !== undefined && !isStorableText(description)) throw badRequest("description must not contain U+0000 or lone surrogates");
}

export function normaliseDefinition(input: {
  name: string;
  type: FieldType;
  options?: string[] | undefined;
  precision?: number | undefined;
}): FieldDefinition {
  const { name, type } = input;
  if (hasOptions(type)) {
    if (!input.options) throw badRequest(`a ${type} field needs options`);
    checkOptions(type, input.options);
  } else if (input.options) {
    throw badRequest(`options apply only to Select and MultiSelect fields, not ${type}`);
  }
  if (input.precision !== undefined && type !== "Decimal") {
    throw badRequest(`precision applies only to Decimal fields, not ${type}`);
  }
  return {
    name,
    type,
    ...(hasOptions(type) ? { options: input.options } : {}),
    ...(type === "Decimal" ? { precision: input.precision ?? DEFAULT_DECIMAL_PRECISION } : {}),
  };
}

function checkOptions(type: FieldType, options: string[]): void {
  const seen = new Map<string, string>();
  for (const option of options) {
    if (option !== option.trim() || option.trim() === "" || !isStorableText(option)) {
      throw badRequest(`option '${option}' must not be blank or start or end with white space`);
    }
    // A MultiSelect also accepts "a,b" as a list, so a comma in an option would be ambiguous.
    if (type === "MultiSelect" && option.includes(",")) throw badRequest(`MultiSelect option '${option}' must not contain a comma`);
    const earlier = seen.get(option.toLowerCase());
    if (earlier !== undefined) throw badRequest(`options '${earlier}' and '${option}' differ only by case`);
    seen.set(option.toLowerCase(), option);
  }
}
