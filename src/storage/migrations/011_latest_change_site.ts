import { sql, type Kysely } from "kysely";

// Migration 008 gave the recorded states a site_id (assets had one since 001)
// without filling it in, so an asset's latest change from before it reads "no
// site". The dashboard's counts by site move each asset from its state before
// a change to the state after (storage/asset-list.ts, tally), so that state
// before must hold the asset's site: the latest change of each asset, which is
// the asset as it is, gets the asset's site. Older changes keep theirs; no
// future change is compared with them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update asset_changes set site_id = (
      select a.site_id from assets a where a.tenant_id = asset_changes.tenant_id and a.id = asset_changes.asset_id)
    where site_id is null and exists (
      select 1 from assets a
      where a.tenant_id = asset_changes.tenant_id and a.id = asset_changes.asset_id and a.version = asset_changes.version and a.site_id is not null)
  `.execute(db);
}
