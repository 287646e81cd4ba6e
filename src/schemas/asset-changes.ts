import { Type } from "@sinclair/typebox";
import { MAX_PAGE_SIZE, PageQuery, RequestInteger, Timestamp } from "./common.js";

export const AssetChangeSchema = Type.Object(
  {
    change_id: Type.Integer({ description: "Orders the tenant's changes; the change feed's cursor" }),
    asset_id: Type.String(),
    version: Type.Integer({ description: "The asset's version after the change" }),
    changed_at: Timestamp,
    actor: Type.String({ description: "The user (or API key) that made the change" }),
    source: Type.Union([Type.Literal("import"), Type.Literal("api")]),
    import_id: Type.Optional(Type.Integer()),
    entry_num: Type.Optional(Type.Integer({ description: "The import entry that made the change (the last of its batch that changed the asset)" })),
    action: Type.Union(["created", "updated", "deleted", "restored"].map((a) => Type.Literal(a))),
    changes: Type.Record(Type.String(), Type.Object({ old: Type.Unknown(), new: Type.Unknown() }), {
      description: "Each changed field (and name), with its value before and after; null where it had none",
    }),
  },
  { description: "One change of one asset" },
);

export const AssetChangesQuery = Type.Object({ ...PageQuery });

export const ChangeFeedQuery = Type.Object({
  since: Type.Optional(Type.String({ pattern: "^[0-9]{1,15}$", description: "next_cursor of the previous call; from the first change when absent" })),
  limit: RequestInteger({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 100, description: "Changes per call (max 1000)" }),
});

export const ChangeFeedSchema = Type.Object({
  collection: Type.Array(AssetChangeSchema),
  count: Type.Integer(),
  next_cursor: Type.String({ description: "Pass as since to get the changes after these; the same cursor again when there were none" }),
  has_more: Type.Boolean({ description: "More changes are there already: call again at once" }),
});
