/** Which keys of an entry hold the asset's ID and name. */
export interface ImportMapping {
  /** `id_mapping_field`; when unset the ID is `id`, else `uid`. */
  idField: string | null;
  /** `name_mapping_field`; when unset the name is `name`. */
  nameField: string | null;
}

/** The key an entry's ID is read from: the mapping's, else `id`, else `uid` when only it holds a value. */
export function idKeyOf(entry: Record<string, unknown>, mapping: ImportMapping): string {
  if (mapping.idField !== null) return mapping.idField;
  return (entry.id === undefined || entry.id === null) && entry.uid !== undefined && entry.uid !== null ? "uid" : "id";
}

export function nameKeyOf(mapping: ImportMapping): string {
  return mapping.nameField ?? "name";
}

/** The mapping as the status object echoes it. */
export function describeMapping(mapping: ImportMapping): { id_mapping_field: string; name_mapping_field: string } {
  return { id_mapping_field: mapping.idField ?? "id", name_mapping_field: mapping.nameField ?? "name" };
}
