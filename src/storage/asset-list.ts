import { sql, type CompiledQuery, type RawBuilder, type SqlBool } from "kysely";
import type { ExportedColumn } from "../assets/attributes.js";
import type { SortValue } from "../assets/cursor.js";
import { sortValueKind, typeOf, type AssetQuery, type Filter, type FilterValue, type SortKey, type Target } from "../assets/list-query.js";
import type { FieldDefinition } from "../fields/field-types.js";
import type { AssetRow } from "./assets.js";
import type { Database, Dialect } from "./database.js";
import { fieldIndexName, fieldValueSql } from "./field-values.js";
import { containsText } from "./text-search.js";

// An AssetQuery as SQL. Order: the sort keys, then the ID in the direction of
// the last key; an asset without a value sorts as if its value were smaller
// than any other (first ascending, last descending), which is how both
// backends' indexes keep NULL here (PostgreSQL's are built NULLS FIRST).

const ID_KEY: SortKey = { name: "id", target: { kind: "column", column: "id", type: "SingleLineText" }, desc: false };

/** The sort keys with the ID, the unique tie-breaker, last. */
export function orderKeys(sort: readonly SortKey[]): SortKey[] {
  if (sort.at(-1)?.name === "id") return [...sort];
  return [...sort, { ...ID_KEY, desc: sort.at(-1)?.desc ?? false }];
}

/** Text a search looks through: the ID, the name, the description, and text custom fields. */
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
  /** Only these columns (the export reads three; the rows then lack the others); every column when left out. */
  columns?: ReadonlyArray<"id" | "name" | "data" | ExportedColumn>;
}

export interface ListedRow extends AssetRow {
  /** The row's values of orderKeys, for its cursor. */
  sortValues: SortValue[];
}

const MAX_CACHED_COUNTS = 1000;

/** The attributes the dashboard charts, whose tallies are kept up to date from the change feed. */
const TALLIED_COLUMNS = new Set(["category_id", "status_id", "site_id"]);
/**
 * Beyond this many changes since a tally, counting the assets again is
 * cheaper than reading the changes (an import of many assets): a change costs
 * two index reads, an asset one index entry.
 */
const MAX_TALLY_CHANGES = 20_000;

export interface Tally {
  total: number;
  groups: Array<{ value: FilterValue | null; count: number }>;
  more: boolean;
}

interface KeptTally {
  /** The tenant's feed position the counts are exact at. */
  position: number;
  counts: Map<string | null, number>;
}

/** The counts most first, then by value in byte order (as the backends order IDs), no value last among equals. */
function ranked({ counts }: KeptTally, most: number): Tally {
  const entries = [...counts.entries()];
  entries.sort(([a, m], [b, n]) => n - m || (a === null ? 1 : b === null ? -1 : Buffer.compare(Buffer.from(a), Buffer.from(b))));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return { total, groups: entries.slice(0, most).map(([value, count]) => ({ value, count })), more: entries.length > most };
}

const bindValue = (dialect: Dialect, value: FilterValue) => (dialect === "sqlite" && typeof value === "boolean" ? Number(value) : value);

function contains(dialect: Dialect, target: Target, needle: string): RawBuilder<SqlBool> {
  return containsText(dialect, targetSql(dialect, target), needle);
}

/** Whether a MultiSelect value (or the tags) holds an option (false when it has no value). */
function holds(dialect: Dialect, target: Target, option: FilterValue): RawBuilder<SqlBool> {
  if (target.kind === "column") {
    return dialect === "postgres" ? sql`coalesce(jsonb_exists(tags, ${option}), false)` : sql`exists (select 1 from json_each(tags) where value = ${option})`;
  }
  const { field } = target;
  return dialect === "postgres"
    ? sql`coalesce(jsonb_exists(data -> ${sql.lit(field.name)}, ${option}), false)`
    : sql`exists (select 1 from json_each(data, ${sql.lit(`$.${JSON.stringify(field.name)}`)}) where value = ${option})`;
}

export function filterSql(dialect: Dialect, { target, op, values }: Filter): RawBuilder<SqlBool> {
  const x = targetSql(dialect, target);
  const bind = (value: FilterValue) => bindValue(dialect, value);
  const [v] = values as [FilterValue];
  if (op === "empty") return v ? sql`${x} is null` : sql`${x} is not null`;
  if (op === "contains") return contains(dialect, target, v as string);
  if (typeOf(target) === "MultiSelect") {
    switch (op) {
      case "eq":
        return holds(dialect, target, v);
      case "ne":
        return sql`not ${holds(dialect, target, v)}`;
      case "all":
        return sql`(${sql.join(values.map((o) => holds(dialect, target, o)), sql` and `)})`;
      default:
        return sql`(${sql.join(values.map((o) => holds(dialect, target, o)), sql` or `)})`;
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


export function createAssetLister({ db, dialect }: Database) {
  const counts = new Map<string, unknown>();
  const tallies = new Map<string, KeptTally>();
  const expr = (target: Target) => targetSql(dialect, target);
  const bind = (value: FilterValue) => bindValue(dialect, value);

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
        { kind: "column", column: "description", type: "MultiLineText" },
        ...request.fields.filter((f) => SEARCHED_TYPES.has(f.type)).map((field): Target => ({ kind: "field", field })),
      ];
      conditions.push(sql`(${sql.join(searched.map((t) => contains(dialect, t, needle)), sql` or `)})`);
    }
    for (const filter of query.filters) conditions.push(filterSql(dialect, filter));
    return sql.join(conditions, sql` and `) as RawBuilder<SqlBool>;
  }

  /**
   * Rows after `last`, as conditions read one after the other. Descending
   * from a value, the rows after it are the smaller values, then those without
   * one: two reads, so that each can start its index scan at its bound
   * (one condition with an OR would make the scan start at the far end).
   */
  function afterSegments(keys: SortKey[], last: SortValue[]): RawBuilder<SqlBool>[] {
    const first = expr(keys[0]!.target);
    // PostgreSQL, one sort key and the ID (both in its direction), from a
    // value: a row comparison, which its planner reads as the start of an
    // index range (the OR chain below makes it sort every match instead).
    // NULL never compares, so it excludes the rows without a value, which
    // come before ascending and after descending. SQLite does not range-scan
    // row values over expression indexes; the bound below serves it.
    if (dialect === "postgres" && keys.length === 2 && keys[0]!.desc === keys[1]!.desc && last[0] !== null) {
      const pair = sql`(${first}, ${expr(keys[1]!.target)})`;
      const bound = sql`(${bind(last[0]!)}, ${bind(last[1]!)})`;
      if (!keys[0]!.desc) return [sql`${pair} > ${bound}`];
      return [sql`${pair} < ${bound}`, sql`${first} is null`];
    }
    if (!keys[0]!.desc || last[0] === null) return [after(keys, last)];
    return [sql`${first} <= ${bind(last[0]!)} and ${after(keys, last)}`, sql`${first} is null`];
  }

  /** Rows after `last` in the order of `keys` (keyset paging), NULL smallest. */
  function after(keys: SortKey[], last: SortValue[]): RawBuilder<SqlBool> {
    const equal = (i: number) => (last[i] === null ? sql`${expr(keys[i]!.target)} is null` : sql`${expr(keys[i]!.target)} = ${bind(last[i]!)}`);
    const beyond = (i: number): RawBuilder<SqlBool> | undefined => {
      const x = expr(keys[i]!.target);
      const v = last[i] === null ? null : bind(last[i]!);
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
    if (!first.desc && last[0] !== null) return sql`${expr(first.target)} >= ${bind(last[0]!)} and ${chain}`;
    return chain;
  }

  function orderBy(keys: SortKey[]): RawBuilder<unknown> {
    return sql.join(
      keys.map((k) => {
        const x = expr(k.target);
        // PostgreSQL puts NULL last ascending unless told otherwise, and only
        // then does an index built NULLS FIRST serve the sort. A column that is
        // never NULL gets no NULLS clause: with one, its plain index would not
        // serve the sort either.
        if (dialect === "sqlite" || !nullable(k.target)) return k.desc ? sql`${x} desc` : sql`${x}`;
        return k.desc ? sql`${x} desc nulls last` : sql`${x} nulls first`;
      }),
    );
  }

  /**
   * SQLite's planner prefers a filter's index and then sorts every match, even
   * when walking the sort key's index would find the page's few rows almost
   * at once (it does not weigh LIMIT). A bounded probe tells the cases apart:
   * when the filters match more than 20 times the rows the page needs, the
   * sort key's index is named. PostgreSQL weighs LIMIT itself.
   */
  async function sortIndexHint(tenantId: number, request: ListRequest, first: SortKey): Promise<string | undefined> {
    const { query } = request;
    if (query.includeInactive) return undefined;
    const sortIndex = indexOf(tenantId, first.target);
    const sameField = (t: Target) => (t.kind === "field" ? t.field.name : t.column) === first.name;
    const otherIndexed = query.ids !== undefined || query.filters.some((f) => !sameField(f.target) && indexOf(tenantId, f.target) !== undefined);
    if (!sortIndex || !otherIndexed) return undefined;
    const enough = Math.min(100_000, 20 * ((request.offset ?? 0) + request.limit + 1));
    const probe = await sql<{ n: number }>`select count(*) as n from (select 1 from assets where ${where(tenantId, request)} limit ${sql.lit(enough)})`.execute(db);
    return probe.rows[0]!.n >= enough ? sortIndex : undefined;
  }

  const lister = {
    async list(tenantId: number, request: ListRequest): Promise<{ rows: ListedRow[]; more: boolean }> {
      const keys = orderKeys(request.query.sort);
      const base = where(tenantId, request);
      const sortColumns = keys.map((k, i) => sql`${expr(k.target)} as ${sql.id(`sort_${i}`)}`);
      const index = dialect === "sqlite" ? await sortIndexHint(tenantId, request, keys[0]!) : undefined;
      const found: Array<AssetRow & Record<string, SortValue>> = [];
      for (const segment of request.after ? afterSegments(keys, request.after) : [undefined]) {
        const wanted = request.limit + 1 - found.length;
        if (wanted <= 0) break;
        const result = await sql<AssetRow & Record<string, SortValue>>`
          select ${request.columns ? sql.join(request.columns.map((c) => sql.ref(c))) : sql`*`}, ${sql.join(sortColumns)} from assets ${index ? sql`indexed by ${sql.id(index)}` : sql``}
          where ${segment ? sql`${base} and ${segment}` : base}
          order by ${orderBy(keys)}
          limit ${sql.lit(wanted)} ${request.offset ? sql`offset ${sql.lit(request.offset)}` : sql``}
        `.execute(db);
        found.push(...result.rows);
      }
      // The sort_N columns stay on the rows (readers pick the columns they show):
      // deleting them would turn every row into a slow dictionary object.
      const rows = found.slice(0, request.limit) as unknown as ListedRow[];
      for (const row of rows) row.sortValues = keys.map((key, i) => normalise((row as unknown as Record<string, unknown>)[`sort_${i}`], key.target));
      return { rows, more: found.length > request.limit };
    },

    /**
     * How many assets match. Counting is the dearest part of a page (every
     * match is visited), so counts are kept per query until the tenant's
     * assets or fields change (cachedFor).
     */
    async count(tenantId: number, request: ListRequest): Promise<number> {
      const query = sql<{ n: number | string }>`select count(*) as n from assets where ${where(tenantId, request)}`.compile(db);
      return cachedFor(tenantId, query, request, async () => Number((await db.executeQuery(query)).rows[0]!.n));
    },

    /**
     * How many matching assets hold each value of `target`, most first (then
     * by value, no value last: null), at most `most` values and whether there
     * are more. Kept like counts, until the tenant's assets or fields change.
     */
    async groups(tenantId: number, request: ListRequest, target: Target, most: number): Promise<{ groups: Array<{ value: FilterValue | null; count: number }>; more: boolean }> {
      const value = expr(target);
      // SQLite groups along the value's index when it has one, and then reads
      // every asset to test the filters: with filters, a unary + keeps it off
      // that index, so that a filter's index finds the few assets to group.
      const { query: q } = request;
      const filtered = q.filters.length > 0 || q.search !== undefined || q.ids !== undefined;
      const grouped = dialect === "sqlite" && filtered ? sql`+${value}` : value;
      const query = sql<{ value: FilterValue | null; n: number | string }>`
        select ${grouped} as value, count(*) as n from assets where ${where(tenantId, request)}
        group by ${grouped} order by n desc, ${grouped} is null, ${grouped} limit ${sql.lit(most + 1)}
      `.compile(db);
      return cachedFor(tenantId, query, request, async () => {
        const rows = (await db.executeQuery(query)).rows;
        const groups = rows.slice(0, most).map((row) => ({ value: row.value === null ? null : normalise(row.value, target), count: Number(row.n) }));
        return { groups, more: rows.length > most };
      });
    },
    tally,
  };
  return lister;

  /**
   * The total and the groups of a stats request. The dashboard's own requests
   * (by category, status or site, no filters) are answered from a tally kept
   * per tenant and brought up to date from the change feed; any other is a
   * count and a grouping (both kept until the tenant's assets change).
   */
  async function tally(tenantId: number, request: ListRequest, target: Target, most: number): Promise<Tally> {
    const { query: q } = request;
    const column = target.kind === "column" && TALLIED_COLUMNS.has(target.column) ? target.column : null;
    if (column === null || q.filters.length > 0 || q.search !== undefined || q.ids !== undefined) {
      const [total, grouped] = await Promise.all([lister.count(tenantId, request), lister.groups(tenantId, request, target, most)]);
      return { total, ...grouped };
    }
    const key = `${tenantId} ${column} ${q.includeInactive}`;
    let kept = tallies.get(key);
    const position = Number((await db.selectFrom("tenants").select("change_seq").where("id", "=", tenantId).executeTakeFirst())?.change_seq ?? 0);
    if (kept === undefined || position - kept.position > MAX_TALLY_CHANGES || position < kept.position) {
      kept = await countedTally(tenantId, column, q.includeInactive);
    } else if (position > kept.position) {
      kept = await movedTally(tenantId, column, q.includeInactive, kept);
    }
    tallies.delete(key);
    tallies.set(key, kept);
    if (tallies.size > MAX_CACHED_COUNTS) tallies.delete(tallies.keys().next().value!);
    return ranked(kept, most);
  }

  // Each query below reads the tenant's feed position in the same statement as
  // the assets or changes it counts, so that both come from one snapshot: a
  // tally then holds exactly the changes up to its position, on either backend.

  /** Counts every asset (one pass over the tenant's assets). */
  async function countedTally(tenantId: number, column: string, includeInactive: boolean): Promise<KeptTally> {
    const value = sql.ref(column);
    const active = includeInactive ? sql`` : sql` and is_active = 1`;
    const { rows } = await sql<{ position: number | string; value: string | null; n: number | string | null }>`
      select t.change_seq as position, g.value, g.n from tenants t
      left join (select ${value} as value, count(*) as n from assets where tenant_id = ${sql.lit(tenantId)}${active} group by ${value}) g on 1 = 1
      where t.id = ${tenantId}
    `.execute(db);
    const counts = new Map<string | null, number>();
    for (const row of rows) if (row.n !== null) counts.set(row.value, Number(row.n));
    return { position: Number(rows[0]?.position ?? 0), counts };
  }

  /** Applies the changes since the tally's position: each moves an asset out of its value before and into its value after. */
  async function movedTally(tenantId: number, column: string, includeInactive: boolean, kept: KeptTally): Promise<KeptTally> {
    const { rows } = await sql<{ position: number | string; before: string | null; before_active: number | null; after: string | null; after_active: number | null; changed: number | null }>`
      select t.change_seq as position, d.before, d.before_active, d.after, d.after_active, d.changed from tenants t
      left join (
        select o.${sql.ref(column)} as before, o.is_active as before_active, c.${sql.ref(column)} as after, c.is_active as after_active, 1 as changed
        from asset_changes c
        -- The version before by its position, found in the (asset, version) index: SQLite would
        -- otherwise read every change of the tenant for it.
        left join asset_changes o on o.tenant_id = c.tenant_id and o.seq = (
          select p.seq from asset_changes p where p.tenant_id = c.tenant_id and p.asset_id = c.asset_id and p.version = c.version - 1)
        where c.tenant_id = ${tenantId} and c.seq > ${kept.position}
        order by c.seq limit ${sql.lit(MAX_TALLY_CHANGES + 1)}
      ) d on 1 = 1
      where t.id = ${tenantId}
    `.execute(db);
    // An import committed since the position was looked at: counting the assets is the cheaper read.
    if (rows.length > MAX_TALLY_CHANGES) return countedTally(tenantId, column, includeInactive);
    const counts = new Map(kept.counts);
    const add = (value: string | null, by: number) => {
      const n = (counts.get(value) ?? 0) + by;
      if (n === 0) counts.delete(value);
      else counts.set(value, n);
    };
    // A created asset has no version before it; a deleted one leaves the active tally.
    for (const row of rows) {
      if (row.changed === null) continue;
      if (row.before_active !== null && (includeInactive || Number(row.before_active) === 1)) add(row.before, -1);
      if (includeInactive || Number(row.after_active) === 1) add(row.after, 1);
    }
    // A count below zero means a state before that does not hold what the asset held (it cannot happen
    // with the states recorded since migration 011); counting afresh is then the answer.
    if ([...counts.values()].some((n) => n < 0)) return countedTally(tenantId, column, includeInactive);
    return { position: Number(rows[0]?.position ?? kept.position), counts };
  }

  /**
   * An answer of a counting query, computed once per query and state of the
   * tenant: the key holds the tenant's feed position, which every asset
   * write moves, and its field definitions.
   */
  async function cachedFor<T>(tenantId: number, query: CompiledQuery, request: ListRequest, compute: () => Promise<T>): Promise<T> {
    const position = await db.selectFrom("tenants").select("change_seq").where("id", "=", tenantId).executeTakeFirst();
    const key = JSON.stringify([tenantId, position?.change_seq, query.sql, query.parameters, request.fields]);
    if (counts.has(key)) {
      const cached = counts.get(key) as T;
      // Most recently used last: the first key is the one to evict.
      counts.delete(key);
      counts.set(key, cached);
      return cached;
    }
    const answer = await compute();
    counts.set(key, answer);
    if (counts.size > MAX_CACHED_COUNTS) counts.delete(counts.keys().next().value!);
    return answer;
  }
}

const NULLABLE_COLUMNS = new Set(["deleted_at", "site_id", "description", "tags", "category_id", "status_id"]);

/** Whether a target can be NULL: a custom field without a value, or a column such as deleted_at or category. */
function nullable(target: Target): boolean {
  return target.kind === "field" || NULLABLE_COLUMNS.has(target.column);
}

/** The index that orders a target's values, if any. */
function indexOf(tenantId: number, target: Target): string | undefined {
  if (target.kind === "column") return target.column === "id" ? "assets_active" : undefined;
  return target.field.indexed ? fieldIndexName(tenantId, target.field.name) : undefined;
}

/**
 * A sort value as the cursor carries it, of its key's kind: PostgreSQL's
 * NUMERIC arrives as text (exactly a stored double's digits) and SQLite's
 * checkboxes as 1 and 0.
 */
function normalise(value: unknown, target: Target): SortValue {
  if (value === null || value === undefined) return null;
  switch (sortValueKind(target)) {
    case "number":
      return Number(value);
    case "boolean":
      return value === true || value === 1;
    default:
      return String(value);
  }
}

function targetSql(dialect: Dialect, target: Target): RawBuilder<unknown> {
  if (target.kind === "field") return fieldValueSql(dialect, target.field);
  const column = sql.ref(target.column);
  // Text in byte order on both backends (the ID column is already "C"; the description is text too).
  if (dialect === "postgres" && (typeOf(target) === "SingleLineText" || typeOf(target) === "MultiLineText") && target.column !== "id") return sql`(${column} collate "C")`;
  return sql`${column}`;
}
