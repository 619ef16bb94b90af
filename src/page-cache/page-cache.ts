import type { TieredCache } from '../cache/tiered-cache.ts';
import { normalizePath } from '../render/plan-page.ts';
import { pageHtmlKey } from '../site/cache-keys.ts';
import type { TenantRecord } from '../site/site-types.ts';
import type { CachedPage } from './cached-page.ts';

/** Rendered pages by (tenant, site version, path), in memory and (when configured) Redis. */
export interface PageCache {
  get(tenant: TenantRecord, pathname: string): Promise<CachedPage | undefined>;
  put(tenant: TenantRecord, pathname: string, page: CachedPage, ttlMs: number): Promise<void>;
  /**
   * One render per page at a time in this process: the first miss claims the render and later
   * misses wait for its result. `finish` releases a claim whose render stored nothing.
   */
  claimRender(tenant: TenantRecord, pathname: string): { claimed: true; finish(): void } | { claimed: false; result: Promise<CachedPage | undefined> };
}

export function createPageCache(cache: TieredCache): PageCache {
  const keyOf = (tenant: TenantRecord, pathname: string) => pageHtmlKey(tenant.id, tenant.siteVersion, normalizePath(pathname));
  const rendering = new Map<string, (page: CachedPage | undefined) => void>();
  const waiting = new Map<string, Promise<CachedPage | undefined>>();

  const settle = (key: string, page: CachedPage | undefined) => {
    rendering.get(key)?.(page);
    rendering.delete(key);
    waiting.delete(key);
  };

  return {
    get: (tenant, pathname) => cache.get<CachedPage>(keyOf(tenant, pathname)),
    async put(tenant, pathname, page, ttlMs) {
      const key = keyOf(tenant, pathname);
      settle(key, page);
      await cache.set(key, page, ttlMs);
    },
    claimRender(tenant, pathname) {
      const key = keyOf(tenant, pathname);
      const pending = waiting.get(key);
      if (pending) return { claimed: false, result: pending };
      waiting.set(key, new Promise((resolve) => rendering.set(key, resolve)));
      return { claimed: true, finish: () => settle(key, undefined) };
    },
  };
}
