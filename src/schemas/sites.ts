import { Type } from "@sinclair/typebox";
import type { SiteRow } from "../storage/sites.js";
import { formatTime } from "../time.js";
import { Timestamp } from "./common.js";

const SiteName = Type.String({ minLength: 1, maxLength: 255, pattern: "\\S", description: "Not blank; need not be unique" });
const SiteDescription = Type.String({ maxLength: 5000 });

export const SiteSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const NewSiteBody = Type.Object(
  {
    id: Type.String({ description: "The asset ID rule: 1-63 of A-Z a-z 0-9 -, letters or digits at both ends, no --" }),
    name: SiteName,
    description: Type.Optional(SiteDescription),
  },
  { additionalProperties: false },
);

export const SitePatchBody = Type.Object(
  { name: Type.Optional(SiteName), description: Type.Optional(SiteDescription) },
  { additionalProperties: false, minProperties: 1 },
);

export const SiteIdParams = Type.Object({ site_id: Type.String() });

export function toSite(row: SiteRow) {
  return { id: row.id, name: row.name, description: row.description, created_at: formatTime(row.created_at), updated_at: formatTime(row.updated_at) };
}
