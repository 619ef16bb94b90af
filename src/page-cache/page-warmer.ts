import type { InvalidationMessage } from '../cache/invalidation-bus.ts';
import { createWorkQueue } from '../concurrency/work-queue.ts';
import type { TenantRecord } from '../site/site-types.ts';
import type { PageCache } from './page-cache.ts';

export type WarmResult = 'stored' | 'absent' | 'failed' | 'behind' | 'dropped';

/**
 * After a change: fetches the tenant's new record and its new pages' compressed forms from Redis
 * into this process's memory, before anyone asks, so the first request after a publish is a
 * memory hit instead of a Redis round trip. Only the pages this process held (it was serving them)
 * and the pages the change names are fetched; nothing is rendered (pre-rendering does that, once
 * for the cluster). Never blocks a request and never throws.
 */
export interface PageWarmer {
  /** `held`: the paths of the tenant this process dropped on hearing of the change. */
  warm(change: Pick<InvalidationMessage, 'tenantId' | 'siteVersion' | 'paths'>, held: readonly string[]): void;
  /** Resolves once nothing is being fetched or waiting. */
  idle(): Promise<void>;
}

/** Pages fetched per change at most: a tenant with more than this in memory gets the rest on request. */
export const MAX_WARM_PATHS = 200;
/** Reads waiting at most; beyond, a page is left for its first request (counted `dropped`). */
export const MAX_WARM_QUEUED = 10_000;

export function createPageWarmer(deps: {
  /** At most this many Redis reads at once (per process); 0 turns warming off. */
  concurrency: number;
  pages: Pick<PageCache, 'get' | 'peek'>;
  /** The tenant record through the data cache, so the next request resolves its host from memory. */
  loadTenant(tenantId: string): Promise<TenantRecord | null>;
  /** Drops this process's copy of a tenant record that turned out older than the change. */
  forgetTenant(tenantId: string): void;
  onResult(result: WarmResult): void;
  logger: { warn(obj: object, msg: string): void };
}): PageWarmer {
  const { concurrency, pages } = deps;
  const queue = createWorkQueue({
    concurrency,
    maxQueued: MAX_WARM_QUEUED,
    onError: (error) => deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'page not warmed'),
  });

  const fetchPage = (tenant: TenantRecord, path: string) => async () => {
    // Held already (pre-rendered here, or warmed on an earlier notice of the same change).
    if (pages.peek(tenant, path)) return;
    try {
      deps.onResult((await pages.get(tenant, path)) ? 'stored' : 'absent');
    } catch (error) {
      deps.onResult('failed');
      deps.logger.warn({ err: error instanceof Error ? error.message : String(error), tenant: tenant.id, path }, 'page not warmed');
    }
  };

  const start = (change: Pick<InvalidationMessage, 'tenantId' | 'siteVersion' | 'paths'>, paths: string[]) => async () => {
    let tenant: TenantRecord | null;
    try {
      tenant = await deps.loadTenant(change.tenantId);
    } catch (error) {
      deps.onResult('failed');
      deps.logger.warn({ err: error instanceof Error ? error.message : String(error), tenant: change.tenantId }, 'tenant not warmed');
      return;
    }
    if (!tenant) return;
    // A record older than the change (read from a copy not yet dropped) must not stay in memory:
    // the next request, or the next notice of the change, loads it again.
    if (tenant.siteVersion < change.siteVersion) {
      deps.forgetTenant(change.tenantId);
      deps.onResult('behind');
      return;
    }
    // A suspended or cancelled site serves no pages.
    if (tenant.status === 'suspended' || tenant.status === 'cancelled') return;
    // Pages go behind whatever is queued already, each a job of its own, so one tenant's many
    // pages cannot hold back another tenant's change for long.
    for (const path of paths) {
      if (!queue.push(fetchPage(tenant, path))) deps.onResult('dropped');
    }
  };

  return {
    warm(change, held) {
      if (concurrency <= 0) return;
      const paths = [...new Set([...(change.paths ?? []), ...held])].slice(0, MAX_WARM_PATHS);
      if (!queue.push(start(change, paths))) deps.onResult('dropped');
    },
    idle: () => queue.idle(),
  };
}
