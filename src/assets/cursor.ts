import { createHash } from "node:crypto";
import { badRequest } from "../http/errors.js";
import { sortValueKind, type SortKey } from "./list-query.js";

// A keyset cursor: the sort values of the last asset a page returned, so the
// next page starts right after it however deep it is, and assets written in
// between neither repeat nor shift the pages. It is opaque to clients and
// only valid with the sort order that made it.

export type SortValue = string | number | boolean | null;

const signature = (sort: readonly SortKey[]) =>
  createHash("sha256")
    .update(JSON.stringify(sort.map((k) => [k.name, k.desc])))
    .digest("base64url")
    .slice(0, 8);

export function encodeCursor(sort: readonly SortKey[], values: SortValue[]): string {
  return Buffer.from(JSON.stringify([signature(sort), values])).toString("base64url");
}

/** The last asset's sort values (`sort` ends with the ID); a 400 when the cursor is not one of ours or belongs to another order. */
export function decodeCursor(sort: readonly SortKey[], cursor: string): SortValue[] {
  let decoded: unknown[];
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
  } catch {
    throw badRequest("cursor is not valid: pass next_cursor from a list answer as it is");
  }
  const valid =
    Array.isArray(decoded) &&
    decoded.length === 2 &&
    typeof decoded[0] === "string" &&
    Array.isArray(decoded[1]) &&
    decoded[1].length === sort.length &&
    // Each value of the type its key compares: a cursor is client input.
    (decoded[1] as unknown[]).every((v, i) => (v === null ? sort[i]!.name !== "id" : typeof v === sortValueKind(sort[i]!.target) && (typeof v !== "number" || Number.isFinite(v)))) &&
    typeof decoded[1][sort.length - 1] === "string";
  if (!valid) throw badRequest("cursor is not valid: pass next_cursor from a list answer as it is");
  if (decoded[0] !== signature(sort)) throw badRequest("cursor belongs to another sort order: keep the order parameters of the request that returned it");
  return decoded[1] as SortValue[];
}
