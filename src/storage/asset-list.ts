import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { SortValue } from "../assets/cursor.js";
import { typeOf, type AssetQuery, type Filter, type FilterValue, type SortKey, type Target } from "../assets/list-query.js";
import type { FieldDefinition } from "../fields/field-types.js";
import type { AssetRow } from "./assets.js";
import type { Database, Dialect } from "./database.js";
import { fieldValueSql } from "./field-values.js";

// An AssetQuery as SQL. Order: the sort keys, then the ID in the direction of
// the last key; an asset without a value sorts as if its value were smaller
// than any other (first ascending, last descending), which is how both
// backends' indexes keep NULL here (PostgreSQL's are built NULLS FIRST).

export const ID_KEY: SortKey = { name: "id", target: { kind: "column", column: "id", type: "SingleLineText" }, desc: false };

/** The sort keys with the ID, the unique tie-breaker, last. */
export function orderKeys(sort: readonly SortKey[]): SortKey[] {
  if (sort.at(-1)?.name === "id") return [...sort];
  return [...sort, { ...ID_KEY, desc: sort.at(-1)?.desc ?? false }];
}

/** Text a search looks through: the ID, the name, and text custom fields. */
const SEARCHED_TYPES = new Set(["SingleLineText", "MultiLineText", "URL", "Email", "Select"]);

export interface ListRequest {
  query: AssetQuery;
  /** Text custom fields, searched by `search`. */
  fields: readonly FieldDefinition[];
  limit: number;
  /** Page mode: rows to skip. */
  offset?: number;
  /** Cursor mode: the sort values of the last row seen (orderKeys order). */
  after?: SortValue[];
}

export interface ListedRow extends AssetRow {
  /** The row's values of orderKeys, for its cursor. */
  sortValues: SortValue[];
}

export function createAssetLister({ db, dialect }: Database) {
  const expr = (target: Target) => targetSql(dialect, target);
  const bind = (value: FilterValue) => (dialect === "sqlite" && typeof value === "boolean" ? Number(value) : value);

  function where(tenantId: number, request: ListRequest): RawBuilder<SqlBool> {
    const { query } = request;
    // A literal tenant: SQLite matches a partial index (WHERE tenant_id = N) only against a literal.
    const conditions: RawBuilder<SqlBool>[] = [sql`tenant_id = ${sql.lit(tenantId)}`];
    if (!query.includeInactive) conditions.push(sql`is_active = 1`);
    if (query.ids) {
      conditions.push(dialect === "postgres" ? sql`id = any(${query.ids}::text[])` : sql`id in (select value from json_each(${JSON.stringify(query.ids)}))`);
    }
    if (query.search !== undefined) {
      const needle = query.search.toLowerCase();
      const searched: Target[] = [
        { kind: "column", column: "id", type: "SingleLineText" },
        { kind: "column", column: "name", type: "SingleLineText" },
        ...request.fields.filter((f) => SEARCHED_TYPES.has(f.type)).map((field): Target => ({ kind: "field", field })),
      ];
      conditions.push(sql`(${sql.join(searched.map((t) => contains(t, needle)), sql` or `)})`);
    }
    for (const filter of query.filters) conditions.push(filterSql(filter));
    return sql.join(conditions, sql` and `) as RawBuilder<SqlBool>;
  }

  function contains(target: Target, needle: string): RawBuilder<SqlBool> {
    // Byte order ("C") sorts, but folds ASCII only: case folds by the database's own LC_CTYPE.
    return dialect === "postgres"
      ? sql`strpos(lower(${expr(target)} collate "default"), ${needle}) > 0`
      : sql`instr(unicode_lower(${expr(target)}), ${needle}) > 0`;
  }

  /** Whether a MultiSelect value holds an option (false when it has no value). */
  function holds(field: FieldDefinition, option: FilterValue): RawBuilder<SqlBool> {
    return dialect === "postgres"
      ? sql`coalesce(jsonb_exists(data -> ${sql.lit(field.name)}, ${option}), false)`
      : sql`exists (select 1 from json_each(data, ${sql.lit(`$.${JSON.stringify(field.name)}`)}) where value = ${option})`;
  }

  function filterSql({ target, op, values }: Filter): RawBuilder<SqlBool> {
    const x = expr(target);
    const [v] = values as [FilterValue];
    if (op === "empty") return v ? sql`${x} is null` : sql`${x} is not null`;
    if (op === "contains") return contains(target, v as string);
    if (target.kind === "field" && target.field.type === "MultiSelect") {
      const field = target.field;
      switch (op) {
        case "eq":
          return holds(field, v);
        case "ne":
          return sql`not ${holds(field, v)}`;
        case "all":
          return sql`(${sql.join(values.map((o) => holds(field, o)), sql` and `)})`;
        default:
          return sql`(${sql.join(values.map((o) => holds(field, o)), sql` or `)})`;
      }
    }
    switch (op) {
      case "eq":
        return sql`${x} = ${bind(v)}`;
      // "Not equal" includes assets without a value.
      case "ne":
        return sql`(${x} is null or ${x} <> ${bind(v)})`;
      case "in":
        return sql`${x} in (${sql.join(values.map(bind))})`;
      case "gt":
        return sql`${x} > ${bind(v)}`;
      case "gte":
        return sql`${x} >= ${bind(v)}`;
      case "lt":
        return sql`${x} < ${bind(v)}`;
      default:
        return sql`${x} <= ${bind(v)}`;
    }
  }

  /** Rows after `last` in the order of `keys` (keyset paging), NULL smallest. */
  function after(keys: SortKey[], last: SortValue[]): RawBuilder<SqlBool> {
    const equal = (i: number) => (last[i] === null ? sql`${expr(keys[i]!.target)} is null` : sql`${expr(keys[i]!.target)} = ${last[i]}`);
    const beyond = (i: number): RawBuilder<SqlBool> | undefined => {
      const x = expr(keys[i]!.target);
      const v = last[i];
      if (!keys[i]!.desc) return v === null ? sql`${x} is not null` : sql`${x} > ${v}`;
      return v === null ? undefined : sql`(${x} < ${v} or ${x} is null)`;
    };
    const terms: RawBuilder<SqlBool>[] = [];
    for (let i = 0; i < keys.length; i++) {
      const step = beyond(i);
      if (step) terms.push(sql.join([...keys.slice(0, i).map((_, j) => equal(j)), step], sql` and `) as RawBuilder<SqlBool>);
    }
    const chain = terms.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(terms, sql` or `)})`;
    // A bound on the first key alone lets the planner start its index scan there.
    const [first] = keys as [SortKey];
    if (!first.desc && last[0] !== null) return sql`${expr(first.target)} >= ${last[0]} and ${chain}`;
    return chain;
  }

  function orderBy(keys: SortKey[]): RawBuilder<unknown> {
    return sql.join(
      keys.map((k) => {
        const x = expr(k.target);
        if (dialect === "sqlite") return k.desc ? sql`${x} desc` : sql`${x}`;
        return k.desc ? sql`${x} desc nulls last` : sql`${x} nulls first`;
      }),
    );
  }

  return {
    async list(tenantId: number, request: ListRequest): Promise<{ rows: ListedRow[]; more: boolean }> {
      const keys = orderKeys(request.query.sort);
      const conditions = request.after ? sql`${where(tenantId, request)} and ${after(keys, request.after)}` : where(tenantId, request);
      const sortColumns = keys.map((k, i) => sql`${expr(k.target)} as ${sql.id(`sort_${i}`)}`);
      const result = await sql<AssetRow & Record<string, SortValue>>`
        select *, ${sql.join(sortColumns)} from assets
        where ${conditions}
        order by ${orderBy(keys)}
        limit ${sql.lit(request.limit + 1)} ${request.offset ? sql`offset ${sql.lit(request.offset)}` : sql``}
      `.execute(db);
      const rows = result.rows.slice(0, request.limit).map((row) => {
        const sortValues = keys.map((_, i) => normalise(row[`sort_${i}`]));
        for (let i = 0; i < keys.length; i++) delete row[`sort_${i}`];
        return { ...row, sortValues } as ListedRow;
      });
      return { rows, more: result.rows.length > request.limit };
    },

    async count(tenantId: number, request: ListRequest): Promise<number> {
      const result = await sql<{ n: number | string }>`select count(*) as n from assets where ${where(tenantId, request)}`.execute(db);
      return Number(result.rows[0]!.n);
    },
  };
}

/** What a cursor can carry: BIGINT and NUMERIC arrive as numbers or strings. */
function normalise(value: unknown): SortValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  return value as SortValue;
}

export function targetSql(dialect: Dialect, target: Target): RawBuilder<unknown> {
  if (target.kind === "field") return fieldValueSql(dialect, target.field);
  const column = sql.ref(target.column);
  // Text in byte order on both backends (the ID column is already "C").
  if (dialect === "postgres" && typeOf(target) === "SingleLineText" && target.column !== "id") return sql`(${column} collate "C")`;
  return sql`${column}`;
}
