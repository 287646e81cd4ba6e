import type { Registry } from "prom-client";
import { createLoginThrottle, type LoginThrottle } from "./auth/login-throttle.js";
import type { Config } from "./config.js";
import { createMetricsRegistry } from "./http/metrics.js";
import { createReadiness, type Readiness } from "./http/readiness.js";
import type { Database } from "./storage/database.js";
import { createAssetChangesRepository } from "./storage/asset-changes.js";
import { createAssetWriter } from "./storage/asset-writes.js";
import { createAssetsRepository } from "./storage/assets.js";
import { createFieldsRepository } from "./storage/fields.js";
import { createImportsRepository } from "./storage/imports.js";
import { createApiKeysRepository } from "./storage/api-keys.js";
import { createAuditRepository } from "./storage/audit.js";
import { createCatalogReader, type CatalogReader } from "./storage/catalog.js";
import { createCategoriesRepository } from "./storage/categories.js";
import { createSitesRepository } from "./storage/sites.js";
import { createStatusSetsRepository } from "./storage/status-sets.js";
import { createTenantsRepository } from "./storage/tenants.js";
import { createSessionsRepository, createUsersRepository } from "./storage/users.js";

/** What routes and the import worker are given: repositories, config and a clock. */
export interface Services {
  config: Config;
  database: Database;
  now: () => number;
  metrics: Registry;
  users: ReturnType<typeof createUsersRepository>;
  sessions: ReturnType<typeof createSessionsRepository>;
  apiKeys: ReturnType<typeof createApiKeysRepository>;
  tenants: ReturnType<typeof createTenantsRepository>;
  audit: ReturnType<typeof createAuditRepository>;
  sites: ReturnType<typeof createSitesRepository>;
  statusSets: ReturnType<typeof createStatusSetsRepository>;
  categories: ReturnType<typeof createCategoriesRepository>;
  /** Sites, categories and status sets as asset writes check against them. */
  catalogs: CatalogReader;
  fields: ReturnType<typeof createFieldsRepository>;
  assets: ReturnType<typeof createAssetsRepository>;
  assetWriter: ReturnType<typeof createAssetWriter>;
  assetChanges: ReturnType<typeof createAssetChangesRepository>;
  imports: ReturnType<typeof createImportsRepository>;
  /** Failed password checks of this process (logins, password changes). */
  loginThrottle: LoginThrottle;
  /** Wakes the import worker when an import is accepted. */
  onImportAccepted: () => void;
  /** Set by the runtime once start-up has finished (/readyz). */
  readiness: Readiness;
}

export function createServices(
  config: Config,
  database: Database,
  options: { metrics?: Registry; onImportAccepted?: Services["onImportAccepted"] } = {},
): Services {
  const catalogs = createCatalogReader(database.db);
  return {
    config,
    database,
    now: Date.now,
    metrics: options.metrics ?? createMetricsRegistry(),
    users: createUsersRepository(database.db),
    sessions: createSessionsRepository(database.db),
    apiKeys: createApiKeysRepository(database.db),
    tenants: createTenantsRepository(database.db),
    audit: createAuditRepository(database.db),
    sites: createSitesRepository(database.db),
    statusSets: createStatusSetsRepository(database.db),
    categories: createCategoriesRepository(database.db),
    catalogs,
    fields: createFieldsRepository(database),
    assets: createAssetsRepository(database),
    assetWriter: createAssetWriter(database, catalogs),
    assetChanges: createAssetChangesRepository(database),
    imports: createImportsRepository(database),
    loginThrottle: createLoginThrottle({
      maxFailures: config.LOGIN_MAX_FAILURES,
      maxFailuresPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMs: config.LOGIN_WINDOW_SECONDS * 1000,
    }),
    onImportAccepted: options.onImportAccepted ?? (() => {}),
    readiness: createReadiness(),
  };
}
