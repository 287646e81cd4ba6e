import type { Category } from "../admin-types";

export interface TreeRow {
  category: Category;
  depth: number;
}

/** The categories in tree order: each parent followed by its subcategories, siblings by name. */
export function treeRows(categories: Category[]): TreeRow[] {
  const children = new Map<string | null, Category[]>();
  for (const category of categories) {
    const parent = category.parent_id !== null && categories.some((c) => c.id === category.parent_id) ? category.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), category]);
  }
  const rows: TreeRow[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const category of [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
      rows.push({ category, depth });
      walk(category.id, depth + 1);
    }
  };
  walk(null, 0);
  return rows;
}

/** Whether `category` is `ancestor` or below it: it cannot become the ancestor's parent. */
export function isWithin(category: Category, ancestor: string): boolean {
  return category.path.includes(ancestor);
}
