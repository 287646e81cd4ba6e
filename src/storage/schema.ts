import type { Generated } from "kysely";

// Row types of the tables, as Kysely sees them. Times are epoch milliseconds
// (BIGINT) on every backend: exact, comparable, and free of driver time-zone
// handling; the HTTP layer formats them as RFC 3339.

export interface TenantsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  created_at: number;
  change_seq: Generated<number>;
  /** Raised by every change to the tenant's sites, categories and status sets (migration 008). */
  catalog_version: Generated<number>;
}

export interface UsersTable {
  id: Generated<number>;
  tenant_id: number;
  username: string;
  full_name: string;
  email: string;
  role: string;
  password_hash: string;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
  disabled_at: number | null;
  system_admin: Generated<number>;
}

/** An API key (migration 005): acts as its creator, at most with `role`. */
export interface ApiKeysTable {
  id: Generated<number>;
  tenant_id: number;
  user_id: number;
  name: string;
  role: string;
  token_hash: string;
  prefix: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
}

/** A place assets are at (migration 006). */
export interface SitesTable {
  tenant_id: number;
  id: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
}

/** Ordered statuses (migration 007). */
export interface StatusSetsTable {
  tenant_id: number;
  id: string;
  name: string;
  /** JSON array of {id, name}, in order. */
  statuses: string;
  created_at: number;
  updated_at: number;
}

/** A category of assets, in a hierarchy (migration 007). */
export interface CategoriesTable {
  tenant_id: number;
  id: string;
  name: string;
  parent_id: string | null;
  status_set_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface CategoryFieldsTable {
  tenant_id: number;
  category_id: string;
  field_name: string;
  /** The field's place in the category's list, from 0. */
  position: number;
}

/** A security event: logins, failed logins, user, key and tenant changes. */
export interface AuditEventsTable {
  id: Generated<number>;
  tenant_id: number | null;
  at: number;
  event: string;
  actor: string | null;
  target: string | null;
  ip: string | null;
  /** JSON object, or null. */
  details: string | null;
}

export interface SessionsTable {
  token_hash: string;
  tenant_id: number;
  user_id: number;
  created_at: number;
  expires_at: number;
}

export interface AssetFieldsTable {
  tenant_id: number;
  name: string;
  type: string;
  description: string;
  /** JSON array of strings for Select/MultiSelect, else null. */
  options: string | null;
  precision: number | null;
  indexed: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface AssetsTable {
  tenant_id: number;
  id: string;
  uid: string;
  name: string;
  /** Custom field values as a JSON object; never holds nulls (null clears). */
  data: string;
  version: number;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
  is_active: number;
  deleted_at: number | null;
  site_id: string | null;
  description: string | null;
  /** JSON array of strings (text on SQLite, jsonb on PostgreSQL), or null. */
  tags: string | null;
  category_id: string | null;
  status_id: string | null;
}

export interface ImportsTable {
  id: Generated<number>;
  tenant_id: number;
  status: string;
  id_mapping_field: string | null;
  name_mapping_field: string | null;
  total_count: number;
  processed_count: Generated<number>;
  success_count: Generated<number>;
  failed_count: Generated<number>;
  warning_count: Generated<number>;
  /** Entries that created, updated, left unchanged an asset (would have, in a dry run); NULL before migration 010. */
  created_count: number | null;
  /** The file's name as the client gave it (migration 010). */
  source_name: string | null;
  dry_run: Generated<number>;
  updated_count: number | null;
  unchanged_count: number | null;
  attempts: Generated<number>;
  error: string | null;
  created_by: string;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  format: Generated<string>;
  /** JSON of ImportOptions. */
  options: Generated<string>;
  pass: Generated<string>;
  discarded: Generated<number>;
  cancel_requested: Generated<number>;
  queue_seq: number | null;
}

/** The accepted entries, durable before the 202; a JSON array per row. */
export interface ImportPayloadsTable {
  import_id: number;
  first_entry_num: number;
  entry_count: number;
  entries: string;
  /** JSON array: each entry's line (CSV, NDJSON) or row (XLSX) in its file. */
  locations: string | null;
  /** JSON object: entry index within the payload -> [why the file's parser could not read it, its text]. */
  problems: string | null;
}

/** One letter per entry of a batch: c created, u updated, n unchanged, f failed. */
export interface ImportActionsTable {
  import_id: number;
  first_entry_num: number;
  actions: string;
}

export interface ImportIdempotencyKeysTable {
  tenant_id: number;
  key: string;
  request_hash: string;
  import_id: number;
  created_at: number;
}

export interface ImportReportTable {
  import_id: number;
  entry_num: number;
  seq: number;
  status: string;
  message: string | null;
  /** The entry's line or row in its file (migration 010). */
  location: number | null;
  /** The entry key (file column) the row is about, as sent. */
  entry_key: string | null;
  /** That key's value as sent, as text. */
  value: string | null;
}

/** One change of one asset, with the asset's state after it (migration 004). */
export interface AssetChangesTable {
  tenant_id: number;
  seq: number;
  asset_id: string;
  version: number;
  changed_at: number;
  actor: string;
  import_id: number | null;
  entry_num: number | null;
  action: string;
  name: string;
  data: string;
  is_active: number;
  deleted_at: number | null;
  site_id: string | null;
  description: string | null;
  tags: string | null;
  category_id: string | null;
  status_id: string | null;
}

export interface DB {
  tenants: TenantsTable;
  users: UsersTable;
  sessions: SessionsTable;
  asset_fields: AssetFieldsTable;
  assets: AssetsTable;
  imports: ImportsTable;
  import_payloads: ImportPayloadsTable;
  import_report: ImportReportTable;
  import_actions: ImportActionsTable;
  import_idempotency_keys: ImportIdempotencyKeysTable;
  asset_changes: AssetChangesTable;
  api_keys: ApiKeysTable;
  sites: SitesTable;
  status_sets: StatusSetsTable;
  categories: CategoriesTable;
  category_fields: CategoryFieldsTable;
  audit_events: AuditEventsTable;
}
