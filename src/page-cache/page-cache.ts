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
  /** Drops expired entries, which are otherwise only dropped when read or pushed out. */
  purgeStale(): boolean;
  readonly bytes: number;
  /** Entries and counted bytes, for the metrics. */
  holdings(): CacheHoldings;
}

/**
 * What an entry holds besides its body and strings: the LRU node, the page's metadata object and
 * the hit headers the responder prepares for it (two variants at most).
 */
export const ENTRY_OVERHEAD = 2048;

/** Not-found pages get this share of the budget, in a cache of their own. */
export const NOT_FOUND_SHARE = 1 / 8;

/**
 * The page as bytes of its own: `Buffer.from` would put a small page in a slice of the shared
 * 8 KiB pool and keep all of that pool alive for as long as the page is cached.
 */
export function ownBytes(html: string): Buffer {
  const body = Buffer.allocUnsafeSlow(Buffer.byteLength(html));
  body.write(html, 'utf8');
  return body;
}

/** Bytes an entry keeps alive: its body, its strings (one byte a character when Latin-1) and the overhead. */
export function entrySize(entry: MemoryPage, key: string): number {
  // Pages stored in Redis before pages carried their policy have none (the responder renders them again).
  const csp = typeof entry.page.csp === 'string' ? entry.page.csp.length : 0;
  return entry.body.buffer.byteLength + key.length + csp + entry.page.etag.length + ENTRY_OVERHEAD;
}

/**
 * Pages live in memory as UTF-8 bytes (what is written to the socket, and what the byte budget
 * counts) and in Redis as JSON, so a new instance starts warm. Not-found pages live apart, in a
 * share of the budget, so random URLs cannot push out real pages.
 */
export function createPageCache(options: { maxEntries: number; maxBytes: number; shared: CacheLayer | null }): PageCache {
  const bounded = (maxEntries: number, maxSize: number) =>
    new LRUCache<string, MemoryPage>({ max: Math.max(1, Math.floor(maxEntries)), maxSize: Math.max(1, Math.floor(maxSize)), sizeCalculation: entrySize });
  const notFoundBytes = options.maxBytes * NOT_FOUND_SHARE;
  const found = bounded(options.maxEntries, options.maxBytes - notFoundBytes);
  const notFound = bounded(options.maxEntries * NOT_FOUND_SHARE, notFoundBytes);
  const lru = (status: number) => (status === 404 ? notFound : found);
  const { shared } = options;
  const keyOf = (tenant: TenantRecord, pathname: string) => pageHtmlKey(tenant.id, tenant.siteVersion, normalizePath(pathname));
  const reading = new Map<string, Promise<MemoryPage | undefined>>();
  const rendering = new Map<string, (page: MemoryPage | undefined) => void>();
  const waiting = new Map<string, Promise<MemoryPage | undefined>>();

  const remember = (key: string, page: CachedPage, ttlMs: number): MemoryPage => {
    const { html, ...meta } = page;
    const entry = { page: meta, body: ownBytes(html) };
    if (ttlMs > 0) lru(page.status).set(key, entry, { ttl: ttlMs });
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
      const hit = found.get(key) ?? notFound.get(key);
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
      for (const memory of [found, notFound]) for (const key of [...memory.keys()]) if (key.startsWith(prefix)) memory.delete(key);
    },
    clear() {
      found.clear();
      notFound.clear();
    },
    purgeStale() {
      const purged = found.purgeStale();
      return notFound.purgeStale() || purged;
    },
    get bytes() {
      return found.calculatedSize + notFound.calculatedSize;
    },
    holdings: () => ({
      page: { entries: found.size, bytes: found.calculatedSize },
      'not-found': { entries: notFound.size, bytes: notFound.calculatedSize },
    }),
  };
}
