import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { NullableTimestamp, PageQuery, StringEnum, Timestamp } from "./common.js";

export const AssetSchema = Type.Object(
  {
    id: Type.String(),
    uid: Type.String({ format: "uuid" }),
    name: Type.String(),
    created_at: Timestamp,
    created_by: Type.String(),
    updated_at: Timestamp,
    updated_by: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    is_active: Type.Boolean(),
    deleted_at: NullableTimestamp,
    description: Type.Union([Type.String(), Type.Null()], { description: "Up to 5,000 characters" }),
    tags: Type.Array(Type.String(), { description: "In the order given; [] when none" }),
    category: Type.Union([Type.String(), Type.Null()], { description: "The category's ID" }),
    status: Type.Union([Type.String(), Type.Null()], { description: "The status's ID, from the category's status set" }),
    site_id: Type.Union([Type.String(), Type.Null()]),
    site_name: Type.Union([Type.String(), Type.Null()], { description: "Read-only: the site's name" }),
  },
  {
    additionalProperties: true,
    description:
      "One flat object: the system fields and, beside them at the root, each custom field that holds a value " +
      "(a field without a value is left out).",
    examples: [
      {
        id: "prod-123",
        uid: "0b6f4a4e-2f7c-4a51-9d55-0d4e8e7b8a11",
        name: "Premium Coffee Beans, 1lb bag",
        price: 12.99,
        stock_quantity: 100,
        created_at: "2025-03-04T03:21:44.846Z",
        created_by: "admin",
        updated_at: "2025-03-04T03:21:44.846Z",
        updated_by: "admin",
        version: 1,
        is_active: true,
        deleted_at: null,
        description: "Whole beans, medium roast",
        tags: ["coffee", "retail"],
        category: "groceries",
        status: "in-stock",
        site_id: "berlin-1",
        site_name: "Berlin warehouse",
      },
    ],
  },
);

const order = (n: number) => {
  const suffix = n === 1 ? "" : String(n);
  return {
    [`order${suffix}`]: Type.Optional(Type.String({ minLength: 1, description: n === 1 ? "Sort by this field (system or custom)" : `Sort key ${n}` })),
    [`orderdesc${suffix}`]: Type.Optional(Type.Boolean({ description: `true: order${suffix} descending` })),
  };
};

/** Filters, search and sort: shared by the list and the export (docs/query.md). */
export const AssetFilterParams = {
  search: Type.Optional(Type.String({ maxLength: 255, description: "Case-insensitive text in the ID, the name or any text field" })),
  ids: Type.Optional(Type.String({ maxLength: 65_536, description: "Comma-separated IDs (at most 1000)" })),
  include_inactive: Type.Optional(Type.Boolean({ default: false, description: "Also deleted assets (is_active false)" })),
  ...order(1),
  ...order(2),
  ...order(3),
  ...order(4),
  ...order(5),
};

const FilterParam = Type.Union([Type.String({ maxLength: 65_536 }), Type.Array(Type.String({ maxLength: 65_536 }), { maxItems: 1000 })], {
  description:
    "filter[<field>]=<value> or filter[<field>][<operator>]=<value>; operators eq, ne, in, all, gt, gte, lt, lte, contains, empty (docs/query.md)",
});

/** Query parameters `filter[...]` on top of the named ones. */
export function withFilters<T extends Record<string, TSchema>>(properties: T, description: string) {
  return Type.Object(properties, {
    additionalProperties: false,
    patternProperties: { "^filter\\[": FilterParam },
    description,
  });
}

export const AssetListQuery = withFilters(
  {
    ...PageQuery,
    ...AssetFilterParams,
    cursor: Type.Optional(Type.String({ maxLength: 4096, description: "next_cursor of the previous answer, or empty to start: keyset paging to any depth, without page or totals" })),
    idonly: Type.Optional(Type.Boolean({ description: "Each asset as {\"id\"} only" })),
    fields: Type.Optional(Type.String({ maxLength: 65_536, description: "Comma-separated keys each asset keeps (the ID always)" })),
  },
  "Filters are ANDed. Examples: filter[price][gte]=10, filter[status][in]=active,spare, filter[serial][empty]=true",
);

export const AssetListItem = Type.Object(
  { id: Type.String() },
  { additionalProperties: true, description: "An asset (the Asset schema), or the keys asked for with fields= or idonly=true" },
);

export const AssetListResponse = Type.Object(
  {
    collection: Type.Array(AssetListItem),
    count: Type.Integer({ description: "Items on this page" }),
    page: Type.Optional(Type.Integer({ description: "Page mode only" })),
    total_count: Type.Optional(Type.Integer({ description: "Page mode only" })),
    total_pages: Type.Optional(Type.Integer({ description: "Page mode only" })),
    next_cursor: Type.Union([Type.String(), Type.Null()], { description: "Pass as cursor= for the next page; null on the last page" }),
  },
  { description: "A page of assets" },
);
export const AssetIdParams = Type.Object({ id: Type.String() });

/** System fields plus the custom values beside them. */
export type FlatAsset = Static<typeof AssetSchema> & Record<string, unknown>;

export const AssetWriteBody = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      "The asset's ID (`id`, on create), `name`, the asset model's `description`, `tags`, `category`, `status` and `site_id` " +
      "(by ID, or by a name only one has; docs/assets.md), and custom field values at the root, checked as the import checks them; " +
      "null clears a value. Unknown keys, other system keys, values that do not fit their field, references that resolve to nothing " +
      "and fields that do not apply to the asset's category are refused with 400, every problem listed in `details`.",
    examples: [{ id: "prod-123", name: "Premium Coffee Beans, 1lb bag", category: "coffee", status: "In use", tags: "retail, beans", price: 12.99 }],
  },
);

export const IfMatchHeaders = Type.Object({
  "if-match": Type.Optional(Type.String({ description: "The version the change is based on (the ETag of a read): 412 when the asset has moved on" })),
});

export const NextIdQuery = Type.Object(
  {
    prefix: Type.String({ maxLength: 62, pattern: "^[A-Za-z0-9-]*$", default: "", description: "The series' prefix, e.g. LAPTOP-" }),
  },
  { additionalProperties: false },
);

export const NextIdResponse = Type.Object({
  prefix: Type.String(),
  next_id: Type.String({ description: "One more than the highest number in the series (deleted assets count), zero-padded like it; not reserved" }),
});

export const ChangeSchema = Type.Object(
  {
    cursor: Type.String({ description: "The change's feed position: pass as since= to read the changes after it" }),
    asset_id: Type.String(),
    version: Type.Integer({ description: "The asset's version after the change" }),
    action: StringEnum(["created", "updated", "deleted", "restored"]),
    changed_at: Timestamp,
    actor: Type.String({ description: "Who made the change" }),
    source: StringEnum(["api", "import"]),
    import_id: Type.Union([Type.Integer(), Type.Null()]),
    entry_num: Type.Union([Type.Integer(), Type.Null()], { description: "The import entry that made the change (the last, when several entries changed the asset in one batch)" }),
    changes: Type.Array(
      Type.Object({ field: Type.String(), old: Type.Unknown({ description: "null: no value" }), new: Type.Unknown({ description: "null: no value" }) }),
      { description: "Each changed field (name included) with its old and new value" },
    ),
  },
  { description: "One change of one asset" },
);

export const ChangeFeedQuery = withFilters(
  {
    since: Type.Optional(Type.String({ pattern: "^[0-9]{1,15}$", description: "next_cursor of the previous answer; omitted or 0: from the first change" })),
    limit: PageQuery.limit,
    orderdesc: Type.Optional(
      Type.Boolean({
        description: "true: the newest changes after since, newest first, for a dashboard; next_cursor is still the newest one's position, to follow the feed from",
      }),
    ),
  },
  "filter[...] as in the asset list, on the asset as each change left it: name, is_active, deleted_at, version, description, tags, category, status, site_id and custom fields.",
);

export const ChangeFeedResponse = Type.Object({
  collection: Type.Array(ChangeSchema),
  count: Type.Integer(),
  next_cursor: Type.String({ description: "Where to continue: pass as since= next time, also when this page is empty" }),
  has_more: Type.Boolean({ description: "More changes follow right away (with orderdesc=true: older ones after since)" }),
});
