import type { CategoryRow } from "../storage/categories.js";
import type { SiteRow } from "../storage/sites.js";
import type { Status, StatusSetRow } from "../storage/status-sets.js";
import { CategoryTree } from "./category-tree.js";

// A tenant's sites, categories and status sets, read whole, as asset writes
// check against them: a reference is resolved by ID, else by a name that
// only one of them has (compared without case, as people type names).

export type Resolved = { id: string } | { error: string };

/** The names of a kind of thing, lowercased, to their holders' IDs. */
function nameIndex(rows: ReadonlyArray<{ id: string; name: string }>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const row of rows) {
    const key = row.name.trim().toLowerCase();
    index.set(key, [...(index.get(key) ?? []), row.id]);
  }
  return index;
}

function resolve(value: string, kind: string, ids: { has(id: string): boolean }, names: ReadonlyMap<string, readonly string[]>): Resolved {
  if (ids.has(value)) return { id: value };
  // Names as people type them: without case, and without the spaces around.
  const named = names.get(value.trim().toLowerCase());
  if (!named) return { error: `no ${kind} with the ID or name '${value}'` };
  if (named.length > 1) return { error: `${named.length} ${kind === "category" ? "categories" : `${kind}s`} are named '${value}' (${named.join(", ")}): give the ID` };
  return { id: named[0]! };
}

export class AssetCatalog {
  readonly tree: CategoryTree;
  readonly #categoryNames: Map<string, string[]>;
  readonly #sets: Map<string, StatusSetRow & { ids: Set<string>; names: Map<string, string[]> }>;
  readonly #sites: Map<string, SiteRow>;
  readonly #siteNames: Map<string, string[]>;
  /** Per category, its status set and the custom fields that apply (worked out on first use). */
  readonly #effective = new Map<string, { statusSetId: string | null; fields: Set<string> }>();

  constructor(
    /** tenants.catalog_version when it was read. */
    readonly version: number,
    readonly categories: CategoryRow[],
    statusSets: StatusSetRow[],
    sites: SiteRow[],
  ) {
    this.tree = new CategoryTree(categories);
    this.#categoryNames = nameIndex(categories);
    this.#sets = new Map(statusSets.map((s) => [s.id, { ...s, ids: new Set(s.statuses.map((status) => status.id)), names: nameIndex(s.statuses) }]));
    this.#sites = new Map(sites.map((s) => [s.id, s]));
    this.#siteNames = nameIndex(sites);
  }

  static empty(version = 0): AssetCatalog {
    return new AssetCatalog(version, [], [], []);
  }

  get hasCategories(): boolean {
    return this.categories.length > 0;
  }

  category(value: string): Resolved {
    return resolve(value, "category", this.tree, this.#categoryNames);
  }

  site(value: string): Resolved {
    return resolve(value, "site", this.#sites, this.#siteNames);
  }

  siteName(id: string): string | null {
    return this.#sites.get(id)?.name ?? null;
  }

  categoryName(id: string): string | null {
    return this.tree.get(id)?.name ?? null;
  }

  /** A status's name, from the first status set that has it (sets may reuse an ID). */
  statusName(id: string): string | null {
    for (const set of this.#sets.values()) {
      const status = set.statuses.find((s) => s.id === id);
      if (status) return status.name;
    }
    return null;
  }

  /** The statuses an asset of the category can have, in order; undefined when it has no status set. */
  statusesOf(categoryId: string): { setId: string; statuses: Status[] } | undefined {
    const { statusSetId } = this.#effectiveOf(categoryId);
    const set = statusSetId === null ? undefined : this.#sets.get(statusSetId);
    return set && { setId: set.id, statuses: set.statuses };
  }

  status(categoryId: string, value: string): Resolved {
    const { statusSetId } = this.#effectiveOf(categoryId);
    const set = statusSetId === null ? undefined : this.#sets.get(statusSetId);
    if (!set) return { error: `category '${categoryId}' has no status set` };
    const resolved = resolve(value, "status", set.ids, set.names);
    return "id" in resolved ? resolved : { error: `'${value}' is not a status of category '${categoryId}' (status set '${set.id}')` };
  }

  /** Whether a custom field applies to assets of the category: it is the category's or an ancestor's. */
  applies(categoryId: string, field: string): boolean {
    return this.#effectiveOf(categoryId).fields.has(field);
  }

  #effectiveOf(categoryId: string) {
    let effective = this.#effective.get(categoryId);
    if (!effective) {
      const { status_set_id, fields } = this.tree.effective(categoryId);
      effective = { statusSetId: status_set_id, fields: new Set(fields) };
      this.#effective.set(categoryId, effective);
    }
    return effective;
  }

  /** The category and every category under it. */
  subtree(categoryId: string): string[] {
    return this.categories.filter((c) => this.tree.lineage(c.id).some((a) => a.id === categoryId)).map((c) => c.id);
  }
}
