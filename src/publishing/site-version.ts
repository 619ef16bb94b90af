import { sql } from 'kysely';
import type { TenantTransaction } from '../db/tenant-scope.ts';

/** Bumps the tenant's site version inside the caller's transaction; every cache key carries it. */
export async function bumpSiteVersion(trx: TenantTransaction, tenantId: string): Promise<number> {
  const row = await trx
    .updateTable('tenants')
    .set({ site_version: sql`site_version + 1`, updated_at: sql`now()` })
    .where('id', '=', tenantId)
    .returning('site_version')
    .executeTakeFirstOrThrow();
  return Number(row.site_version);
}

/** What every instance must learn after a change: which tenant, and its new site version. */
export interface SiteChange {
  tenantId: string;
  siteVersion: number;
  reason: string;
  /** Hostnames whose routing changed (domains added, moved or removed). */
  hostnames?: readonly string[];
  /**
   * The only pages whose content changed, when the change is one page's (in-process only: not kept
   * in the outbox). Without it, every page of the tenant may have changed.
   */
  paths?: readonly string[];
  /** The outbox notice recorded with the change (`recordChange`); delivering it retires the notice. */
  noticeId?: string;
}

/**
 * Announces a committed change to every instance. Called after the commit; a notifier built on
 * the outbox never throws (what it cannot deliver now, a server delivers later).
 */
export type SiteChangeNotifier = (change: SiteChange) => Promise<void>;
