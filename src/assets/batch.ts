import type { FieldDefinition } from "../fields/field-types.js";
import { badRequest, HttpError } from "../http/errors.js";
import type { AssetDecision, BatchDecision } from "../storage/asset-writes.js";
import type { AssetRow } from "../storage/assets.js";
import type { AssetCatalog } from "./catalog.js";
import { decideCreate, decidePatch } from "./edits.js";

// BIM 360's batch operations, all or nothing: each item is decided as its
// single-asset write would be (edits.ts), and any refusal refuses the batch,
// naming every item it concerns. Invalid items (400) are reported before
// IDs that exist or are missing (409, 404): fix the request first. Within
// one item of a batch-patch, a missing asset is reported before its values.

export const MAX_BATCH = 1000;

/** One refused item: its 1-based position in the request, its ID, why. */
export interface ItemProblem {
  index: number;
  id: string | null;
  message: string;
}

type ItemDecide = (current: AssetRow | undefined, catalog: AssetCatalog) => AssetDecision | undefined;

const isObject = (item: unknown): item is Record<string, unknown> => typeof item === "object" && item !== null && !Array.isArray(item);

const idOfItem = (item: unknown): string | null =>
  !isObject(item) ? null : typeof item.id === "string" ? item.id : typeof item.id === "number" ? String(item.id) : null;

/** A decider that refuses the item with what refused it when it was read. */
const refusing = (err: unknown): ItemDecide => () => {
  throw err;
};

function itemProblems(items: ReadonlyArray<unknown>): ItemProblem[] {
  const seen = new Map<string, number>();
  const problems: ItemProblem[] = [];
  items.forEach((item, i) => {
    if (!isObject(item)) problems.push({ index: i + 1, id: null, message: "the item is not a JSON object" });
    const id = idOfItem(item);
    if (id === null) return;
    const earlier = seen.get(id);
    if (earlier !== undefined) problems.push({ index: i + 1, id, message: `ID '${id}' is also item ${earlier}: an asset appears once in a batch` });
    else seen.set(id, i + 1);
  });
  return problems;
}

function decideAll(
  items: ReadonlyArray<unknown>,
  deciders: ItemDecide[],
  current: ReadonlyMap<string, AssetRow>,
  catalog: AssetCatalog,
  verb: string,
): BatchDecision {
  const invalid = itemProblems(items);
  const refused: Array<ItemProblem & { status: number }> = [];
  const decisions: BatchDecision = new Map();
  items.forEach((item, i) => {
    const id = idOfItem(item);
    if (invalid.some((p) => p.index === i + 1)) return;
    try {
      const decision = deciders[i]!(id === null ? undefined : current.get(id), catalog);
      if (decision && id !== null) decisions.set(id, decision);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const details = (err.details as Array<{ message: string }> | undefined) ?? [{ message: err.message }];
      for (const { message } of details) {
        if (err.statusCode === 400) invalid.push({ index: i + 1, id, message });
        else refused.push({ index: i + 1, id, message, status: err.statusCode });
      }
    }
  });
  /** "2 of 5 items are invalid; ...": items, not problems, are counted. */
  const summary = (problems: ItemProblem[], one: string, many: string) => {
    const count = new Set(problems.map((p) => p.index)).size;
    return `${count} of ${items.length} items ${count === 1 ? one : many}; nothing was ${verb}: first, item ${problems[0]!.index}: ${problems[0]!.message}`;
  };
  if (invalid.length > 0) {
    invalid.sort((a, b) => a.index - b.index);
    throw badRequest(summary(invalid, "is invalid", "are invalid"), invalid);
  }
  if (refused.length > 0) {
    // One answer names every refused item: missing (404) ones make it a 404, else existing or deleted ones a 409.
    const status = Math.min(...refused.map((p) => p.status));
    const ids = [...new Set(refused.map((p) => p.id))].join(", ");
    throw new HttpError(status, `${summary(refused, "was refused", "were refused")} (IDs: ${ids})`, refused.map(({ status: _, ...problem }) => problem));
  }
  return decisions;
}

/** batch-create: every item is a new asset; an ID that exists (deleted assets too) refuses the batch with 409. */
export function decideBatchCreate(items: ReadonlyArray<unknown>, fields: ReadonlyMap<string, FieldDefinition>) {
  const creates = items.map((item) => (isObject(item) ? decideCreate(item, fields) : { id: "", decide: refusing(badRequest("the item is not a JSON object")) }));
  const ids = creates.map((c) => c.id).filter((id) => id !== "");
  return { ids, decide: (current: ReadonlyMap<string, AssetRow>, catalog: AssetCatalog) => decideAll(items, creates.map((c) => c.decide), current, catalog, "created") };
}

/** batch-patch: every item names an existing, active asset by `id` and merges into it as PATCH does; a missing one refuses the batch with 404. */
export function decideBatchPatch(items: ReadonlyArray<unknown>, fields: ReadonlyMap<string, FieldDefinition>) {
  const deciders = items.map((item): ItemDecide => {
    const id = idOfItem(item);
    if (!isObject(item) || id === null) return refusing(badRequest("give the asset's id"));
    const { id: _, ...patch } = item;
    try {
      return decidePatch(id, patch, fields, undefined);
    } catch (err) {
      // What decidePatch refuses on sight (a null name) is the item's problem too.
      return refusing(err);
    }
  });
  const ids = items.map(idOfItem).filter((id): id is string => id !== null);
  return { ids, decide: (current: ReadonlyMap<string, AssetRow>, catalog: AssetCatalog) => decideAll(items, deciders, current, catalog, "changed") };
}
