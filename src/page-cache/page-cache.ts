import { LRUCache } from 'lru-cache';
import type { CacheLayer } from '../cache/cache-layer.ts';
import { normalizePath } from '../render/plan-page.ts';
import { pageHtmlKey } from '../site/cache-keys.ts';
import type { TenantRecord } from '../site/site-types.ts';
import type { CacheHoldings } from '../metrics/metrics.ts';
import type { CachedPage } from './cached-page.ts';

/** A page as held in memory: its bytes, ready to write, and counted exactly against the budget. */
export interface MemoryPage {
  page: Omit<CachedPage, 'html'>;
  body: Buffer;
}

/** Rendered pages by (tenant, site version, path), in memory and (when configured) Redis. */
export interface PageCache {
  get(tenant: TenantRecord, pathname: string): Promise<MemoryPage | undefined>;
  put(tenant: TenantRecord, pathname: string, page: CachedPage, ttlMs: number): Promise<void>;
  /**
   * One render per page at a time in this process: the first miss claims the render and later
   * misses wait for its result. `finish` releases a claim whose render stored nothing.
   */
  claimRender(tenant: TenantRecord, pathname: string): { claimed: true; finish(): void } | { claimed: false; result: Promise<MemoryPage | undefined> };
  /** Drops every page of a tenant from memory. */
  forget(tenantPrefix: string): void;
  clear(): void;
  readonly bytes: number;
  /** Entries and counted bytes, for the metrics. */
  holdings(): CacheHoldings;
}

const ENTRY_OVERHEAD = 512;

/**
 * Pages live in memory as UTF-8 bytes (what is written to the socket, and what the byte budget
 * counts) and in Redis as JSON, so a new instance starts warm.
 */
export function createPageCache(options: { maxEntries: number; maxBytes: number; shared: CacheLayer | null }): PageCache {
  const memory = new LRUCache<string, MemoryPage>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    sizeCalculation: (entry, key) => entry.body.length + key.length + ENTRY_OVERHEAD,
  });
  const { shared } = options;
  const keyOf = (tenant: TenantRecord, pathname: string) => pageHtmlKey(tenant.id, tenant.siteVersion, normalizePath(pathname));
  const reading = new Map<string, Promise<MemoryPage | undefined>>();
  const rendering = new Map<string, (page: MemoryPage | undefined) => void>();
  const waiting = new Map<string, Promise<MemoryPage | undefined>>();

  const remember = (key: string, page: CachedPage, ttlMs: number): MemoryPage => {
    const { html, ...meta } = page;
    const entry = { page: meta, body: Buffer.from(html) };
    if (ttlMs > 0) memory.set(key, entry, { ttl: ttlMs });
    return entry;
  };
  const settle = (key: string, page: MemoryPage | undefined) => {
    rendering.get(key)?.(page);
    rendering.delete(key);
    waiting.delete(key);
  };

  async function fromShared(key: string): Promise<MemoryPage | undefined> {
    const entry = await shared!.get(key);
    if (!entry?.value) return undefined;
    return remember(key, entry.value as CachedPage, entry.expiresAt - Date.now());
  }

  return {
    async get(tenant, pathname) {
      const key = keyOf(tenant, pathname);
      const hit = memory.get(key);
      if (hit || !shared) return hit;
      let pending = reading.get(key);
      if (!pending) {
        pending = fromShared(key).finally(() => reading.delete(key));
        reading.set(key, pending);
      }
      return pending;
    },
    async put(tenant, pathname, page, ttlMs) {
      const key = keyOf(tenant, pathname);
      settle(key, remember(key, page, ttlMs));
      await shared?.set(key, { value: page, expiresAt: Date.now() + ttlMs });
    },
    claimRender(tenant, pathname) {
      const key = keyOf(tenant, pathname);
      const pending = waiting.get(key);
      if (pending) return { claimed: false, result: pending };
      waiting.set(key, new Promise((resolve) => rendering.set(key, resolve)));
      return { claimed: true, finish: () => settle(key, undefined) };
    },
    forget(prefix) {
      for (const key of [...memory.keys()]) if (key.startsWith(prefix)) memory.delete(key);
    },
    clear: () => memory.clear(),
    get bytes() {
      return memory.calculatedSize;
    },
    holdings: () => ({ page: { entries: memory.size, bytes: memory.calculatedSize } }),
  };
}
