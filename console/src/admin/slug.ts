/** An ID under the asset ID rule (A-Z a-z 0-9 -, no -- or hyphens at the ends) suggested from a name. */
export function suggestId(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase()
    .slice(0, 63)
    .replace(/-+$/, "");
}
