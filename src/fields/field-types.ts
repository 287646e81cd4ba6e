export const FIELD_TYPES = [
  "SingleLineText",
  "MultiLineText",
  "Number",
  "Integer",
  "Decimal",
  "Checkbox",
  "Date",
  "DateTime",
  "Select",
  "MultiSelect",
  "URL",
  "Email",
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

/** What the coercion module needs to know about a field. */
export interface FieldDefinition {
  name: string;
  type: FieldType;
  options?: readonly string[];
  precision?: number;
}

export const DEFAULT_DECIMAL_PRECISION = 2;
export const MAX_DECIMAL_PRECISION = 10;

export function hasOptions(type: FieldType): boolean {
  return type === "Select" || type === "MultiSelect";
}

/**
 * System fields of an asset. They are listed by the fields API with
 * `system: true`, cannot be created as custom fields (compared
 * case-insensitively) and are never written by an import. `description`,
 * `tags`, `category` and `status` are reserved now for the asset model that
 * follows, so that no tenant's custom field can collide with them later.
 */
export const SYSTEM_FIELDS: ReadonlyArray<{ name: string; type: FieldType; description: string }> = [
  { name: "id", type: "SingleLineText", description: "Asset ID, unique per tenant (thingsHub Business Objects ID)" },
  { name: "uid", type: "SingleLineText", description: "Globally unique identifier assigned by Assetport" },
  { name: "name", type: "SingleLineText", description: "Asset name, 1-255 characters, not only white space" },
  { name: "created_at", type: "DateTime", description: "When the asset was created" },
  { name: "created_by", type: "SingleLineText", description: "Who created the asset" },
  { name: "updated_at", type: "DateTime", description: "When the asset last changed" },
  { name: "updated_by", type: "SingleLineText", description: "Who changed the asset last" },
  { name: "version", type: "Integer", description: "Raised by one on every change" },
  { name: "is_active", type: "Checkbox", description: "False once the asset is deleted" },
  { name: "deleted_at", type: "DateTime", description: "When the asset was deleted" },
  { name: "site_id", type: "SingleLineText", description: "Site of the asset (by ID, or a name only one site has, when written)" },
  { name: "site_name", type: "SingleLineText", description: "Name of the asset's site (read-only)" },
  { name: "description", type: "MultiLineText", description: "Up to 5,000 characters" },
  { name: "tags", type: "MultiSelect", description: "A list of tags (written as a list or as text separated by commas)" },
  { name: "category", type: "SingleLineText", description: "The asset's category (by ID, or a name only one category has, when written)" },
  { name: "status", type: "SingleLineText", description: "A status of the category's status set (by ID or name when written)" },
];

const systemNames = new Set(SYSTEM_FIELDS.map((f) => f.name.toLowerCase()));

export function isSystemFieldName(name: string): boolean {
  return systemNames.has(name.toLowerCase());
}
