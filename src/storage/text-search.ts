import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { Dialect } from "./database.js";

/**
 * Whether a text column holds `needle`, ignoring case, alike on both
 * backends: PostgreSQL lowers both sides by its own LC_CTYPE (byte-order
 * collations lower ASCII only); SQLite by JavaScript's toLowerCase, through
 * the unicode_lower function the database module registers. NULL holds nothing.
 */
export function containsText(dialect: Dialect, text: RawBuilder<unknown>, needle: string): RawBuilder<SqlBool> {
  return dialect === "postgres"
    ? sql`strpos(lower(${text} collate "default"), lower(${needle} collate "default")) > 0`
    : sql`instr(unicode_lower(${text}), ${needle.toLowerCase()}) > 0`;
}
