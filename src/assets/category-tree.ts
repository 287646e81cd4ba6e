import type { CategoryRow } from "../storage/categories.js";

/**
 * The category hierarchy of a tenant, read whole. A subcategory inherits
 * the fields of its ancestors and, unless it names its own, the status set
 * of its nearest ancestor that names one.
 */
export class CategoryTree {
  readonly #byId: Map<string, CategoryRow>;

  constructor(categories: CategoryRow[]) {
    this.#byId = new Map(categories.map((c) => [c.id, c]));
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  get(id: string): CategoryRow | undefined {
    return this.#byId.get(id);
  }

  /** The category and its ancestors, nearest first. */
  lineage(id: string): CategoryRow[] {
    const line: CategoryRow[] = [];
    for (let at = this.#byId.get(id); at && !line.includes(at); at = at.parent_id === null ? undefined : this.#byId.get(at.parent_id)) line.push(at);
    return line;
  }

  /** Whether making `parentId` the parent of `id` would make `id` its own ancestor. */
  wouldCycle(id: string, parentId: string): boolean {
    return this.lineage(parentId).some((c) => c.id === id);
  }

  effective(id: string): { status_set_id: string | null; fields: string[] } {
    const line = this.lineage(id);
    const fields = [...new Set(line.flatMap((c) => c.fields))].sort();
    return { status_set_id: line.find((c) => c.status_set_id !== null)?.status_set_id ?? null, fields };
  }
}
