import type { TieredCache } from '../cache/tiered-cache.ts';
import { normalizePath } from '../render/plan-page.ts';
import { pageHtmlKey } from '../site/cache-keys.ts';
import type { TenantRecord } from '../site/site-types.ts';
import type { CachedPage } from './cached-page.ts';

/** Rendered pages by (tenant, site version, path), in memory and (when configured) Redis. */
export interface PageCache {
  get(tenant: TenantRecord, pathname: string): Promise<CachedPage | undefined>;
  put(tenant: TenantRecord, pathname: string, page: CachedPage, ttlMs: number): Promise<void>;
}

export function createPageCache(cache: TieredCache): PageCache {
  return {
    get: (tenant, pathname) => cache.get<CachedPage>(pageHtmlKey(tenant.id, tenant.siteVersion, normalizePath(pathname))),
    put: (tenant, pathname, page, ttlMs) => cache.set(pageHtmlKey(tenant.id, tenant.siteVersion, normalizePath(pathname)), page, ttlMs),
  };
}
