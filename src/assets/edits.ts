import type { FieldDefinition } from "../fields/field-types.js";
import { badRequest, conflict, HttpError, notFound } from "../http/errors.js";
import type { ImportMapping } from "../import/mapping.js";
import { planWrites, type StoredAsset } from "../import/plan-writes.js";
import { isValidName, messages, validateEntry, type EntryOutcome } from "../import/validate-entry.js";
import type { AssetDecision } from "../storage/asset-writes.js";
import type { AssetRow } from "../storage/assets.js";
import { joinAttributes, type Classification } from "./attributes.js";
import type { AssetCatalog } from "./catalog.js";

// What each write of the assets API does to one asset, decided on the asset
// as stored inside the writing transaction. Values are checked as the import
// checks them (validate-entry.ts), but where the import warns and goes on,
// the API refuses the whole request: a 400 that lists every problem.

/** The ID is `id` and nothing else (`uid` is the system's). */
const API_MAPPING: ImportMapping = { idField: "id", nameField: "name" };

/**
 * The import's rules, but every problem is an error: the import's failure
 * (the ID, else the name) and each of its warnings (unknown keys, system
 * keys, values that do not fit), all listed in `details`.
 */
function validate(entry: Record<string, unknown>, fields: ReadonlyMap<string, FieldDefinition>, catalog: AssetCatalog, current: AssetRow | undefined): EntryOutcome & { id: string } {
  const before = current && classificationOf(current);
  const outcome = validateEntry(entry, API_MAPPING, fields, { unknown_fields: "warn", null_values: "clear" }, { catalog, before: () => before });
  // What the import leaves out with a warning, the API refuses: "; left out" would be untrue here.
  const problems = [...(outcome.failure ? [outcome.failure] : []), ...(outcome.moreFailures ?? []), ...outcome.warnings.map((w) => w.replace(/; left out$/, ""))];
  // The import reports one failure, the ID's before the name's; here both count.
  const name = entry.name;
  if (outcome.failure && outcome.failure !== messages.invalidName && name !== undefined && name !== null && !(typeof name === "string" && isValidName(name))) {
    problems.splice(1, 0, messages.invalidName);
  }
  if (problems.length > 0) throw badRequest(problems[0]!, problems.map((message) => ({ message })));
  return outcome as EntryOutcome & { id: string };
}

export function storedAsset(row: AssetRow): StoredAsset {
  return { name: row.name, data: joinAttributes(row), version: row.version, deletedAt: row.deleted_at };
}

const classificationOf = (row: AssetRow): Classification => ({ category: row.category_id, status: row.status_id });

/** The ID a create names, for the writer to look up; an invalid one is refused by the validation in `decide`. */
const idOf = (body: Record<string, unknown>) => (typeof body.id === "string" ? body.id : typeof body.id === "number" ? String(body.id) : "");

/** `If-Match: <version>` (quoted or not, or *): 412 when the asset has moved on. */
export function checkVersion(row: AssetRow, ifMatch: string | undefined): void {
  if (ifMatch === undefined || ifMatch.trim() === "*") return;
  const versions = ifMatch.split(",").map((v) => v.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1"));
  if (!versions.includes(String(row.version))) {
    throw new HttpError(412, `asset '${row.id}' is at version ${row.version}, not ${versions.join(", ")}: read it again and retry`);
  }
}

export const etagOf = (version: number) => `"${version}"`;

export function decideCreate(body: Record<string, unknown>, fields: ReadonlyMap<string, FieldDefinition>) {
  const decide = (current: AssetRow | undefined, catalog: AssetCatalog): AssetDecision => {
    const outcome = validate(body, fields, catalog, undefined);
    if (current) {
      throw conflict(
        current.is_active === 1 ? `asset '${current.id}' exists` : `asset '${current.id}' exists and is deleted: restore it with POST /api/v4/assets/${current.id}/restore`,
      );
    }
    const { writes } = planWrites([{ index: 0, id: outcome.id, name: outcome.name, patch: outcome.patch }], new Map());
    const write = writes[0]!;
    return { name: write.name, data: write.data, deletedAt: null, action: "created" };
  };
  return { id: idOf(body), decide };
}

export function decidePatch(id: string, body: Record<string, unknown>, fields: ReadonlyMap<string, FieldDefinition>, ifMatch: string | undefined) {
  if (Object.hasOwn(body, "id") && body.id !== id) throw badRequest("id cannot change: an asset keeps its ID");
  if (Object.hasOwn(body, "name") && body.name === null) throw badRequest("name cannot be cleared: every asset has a name");
  return (current: AssetRow | undefined, catalog: AssetCatalog): AssetDecision | undefined => {
    if (!current) throw notFound(`asset '${id}' not found`);
    checkVersion(current, ifMatch);
    if (current.is_active !== 1) throw conflict(`asset '${id}' is deleted: restore it with POST /api/v4/assets/${id}/restore before changing it`);
    const outcome = validate({ ...body, id }, fields, catalog, current);
    const before = storedAsset(current);
    const { writes } = planWrites([{ index: 0, id, name: outcome.name, patch: outcome.patch }], new Map([[id, before]]));
    const write = writes[0];
    if (!write) return undefined;
    return { name: write.name, data: write.data, deletedAt: null, action: "updated" };
  };
}

export function decideDelete(id: string, now: number, ifMatch: string | undefined) {
  return (current: AssetRow | undefined): AssetDecision | undefined => {
    if (!current) throw notFound(`asset '${id}' not found`);
    checkVersion(current, ifMatch);
    if (current.is_active !== 1) return undefined;
    const before = storedAsset(current);
    return { name: before.name, data: before.data, deletedAt: now, action: "deleted" };
  };
}

export function decideRestore(id: string, ifMatch: string | undefined) {
  return (current: AssetRow | undefined): AssetDecision | undefined => {
    if (!current) throw notFound(`asset '${id}' not found`);
    checkVersion(current, ifMatch);
    if (current.is_active === 1) return undefined;
    const before = storedAsset(current);
    return { name: before.name, data: before.data, deletedAt: null, action: "restored" };
  };
}
