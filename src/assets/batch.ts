import type { FieldDefinition } from "../fields/field-types.js";
import { badRequest, HttpError } from "../http/errors.js";
import type { AssetDecision, BatchDecision } from "../storage/asset-writes.js";
import type { AssetRow } from "../storage/assets.js";
import type { AssetCatalog } from "./catalog.js";
import { decideCreate, decidePatch } from "./edits.js";

// BIM 360's batch operations, all or nothing: each item is decided as its
// single-asset write would be (edits.ts), and any refusal refuses the batch,
// naming every item it concerns. Invalid items (400) are reported before
// IDs that exist or are missing (409, 404): fix the request first.

export const MAX_BATCH = 1000;

/** One refused item: its 1-based position in the request, its ID, why. */
export interface ItemProblem {
  index: number;
  id: string | null;
  message: string;
}

type ItemDecide = (current: AssetRow | undefined, catalog: AssetCatalog) => AssetDecision | undefined;

const idOfItem = (item: Record<string, unknown>): string | null => (typeof item.id === "string" ? item.id : typeof item.id === "number" ? String(item.id) : null);

function itemProblems(items: ReadonlyArray<Record<string, unknown>>): ItemProblem[] {
  const seen = new Map<string, number>();
  const problems: ItemProblem[] = [];
  items.forEach((item, i) => {
    const id = idOfItem(item);
    if (id === null) return;
    const earlier = seen.get(id);
    if (earlier !== undefined) problems.push({ index: i + 1, id, message: `ID '${id}' is also item ${earlier}: an asset appears once in a batch` });
    else seen.set(id, i + 1);
  });
  return problems;
}

function decideAll(
  items: ReadonlyArray<Record<string, unknown>>,
  deciders: ItemDecide[],
  current: ReadonlyMap<string, AssetRow>,
  catalog: AssetCatalog,
  verb: string,
): BatchDecision {
  const invalid = itemProblems(items);
  const refused: Record<number, ItemProblem[]> = {};
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
      const list = err.statusCode === 400 ? invalid : (refused[err.statusCode] ??= []);
      for (const { message } of details) list.push({ index: i + 1, id, message });
    }
  });
  const summary = (problems: ItemProblem[], what: string) => `${problems.length} of ${items.length} items ${what}; nothing was ${verb}: first, item ${problems[0]!.index}: ${problems[0]!.message}`;
  if (invalid.length > 0) {
    invalid.sort((a, b) => a.index - b.index);
    throw badRequest(summary(invalid, "are invalid"), invalid);
  }
  for (const [status, problems] of Object.entries(refused)) {
    const ids = problems.map((p) => p.id).join(", ");
    throw new HttpError(Number(status), `${summary(problems, "were refused")} (IDs: ${ids})`, problems);
  }
  return decisions;
}

/** batch-create: every item is a new asset; an ID that exists (deleted assets too) refuses the batch with 409. */
export function decideBatchCreate(items: ReadonlyArray<Record<string, unknown>>, fields: ReadonlyMap<string, FieldDefinition>) {
  const creates = items.map((item) => decideCreate(item, fields));
  const ids = creates.map((c) => c.id).filter((id) => id !== "");
  return { ids, decide: (current: ReadonlyMap<string, AssetRow>, catalog: AssetCatalog) => decideAll(items, creates.map((c) => c.decide), current, catalog, "created") };
}

/** batch-patch: every item names an existing, active asset by `id` and merges into it as PATCH does; a missing one refuses the batch with 404. */
export function decideBatchPatch(items: ReadonlyArray<Record<string, unknown>>, fields: ReadonlyMap<string, FieldDefinition>) {
  const deciders = items.map((item): ItemDecide => {
    const id = idOfItem(item);
    if (id === null) return () => { throw badRequest("give the asset's id"); };
    const { id: _, ...patch } = item;
    return decidePatch(id, patch, fields, undefined);
  });
  const ids = items.map(idOfItem).filter((id): id is string => id !== null);
  return { ids, decide: (current: ReadonlyMap<string, AssetRow>, catalog: AssetCatalog) => decideAll(items, deciders, current, catalog, "changed") };
}
