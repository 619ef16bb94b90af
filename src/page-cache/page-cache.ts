import { LRUCache } from 'lru-cache';
import type { CacheLayer } from '../cache/cache-layer.ts';
import { normalizePath } from '../render/plan-page.ts';
import { pageHtmlKey, parsePageHtmlKey } from '../site/cache-keys.ts';
import type { TenantRecord } from '../site/site-types.ts';
import type { CacheHoldings } from '../metrics/metrics.ts';
import type { CachedPage, PreparedHit } from './cached-page.ts';
import { ownBytes } from './page-bytes.ts';
import { compressPage, fromBase64, gunzipPage, type CompressedForms } from './page-compression.ts';

/**
 * A page as held in memory: its bytes, ready to write, and counted exactly against the budget.
 * A page of 1 KiB or more is held as gzip and brotli only; its identity bytes are derived from
 * the gzip form the first time a client accepts neither (`identity`) and kept from then on.
 */
export interface MemoryPage {
  key: string;
  page: Omit<CachedPage, 'body'>;
  /** Identity bytes; null while only the compressed forms are held. */
  body: Buffer | null;
  gzip: Buffer | null;
  br: Buffer | null;
  /** Hit answers the responder prepared for this page, one per variant (encoding × scheme). */
  prepared: (PreparedHit | undefined)[];
  /** Set once memory no longer holds this entry for its key (replaced, dropped, pushed out, expired). */
  retired: boolean;
  /** Where `peek` remembers this entry, so dropping the entry also drops the memo's hold on its bytes. */
  memo: { paths: Map<string, PageMemo>; path: string } | null;
}

/** A page `peek` found for a tenant record and path, used as is until `validUntil` unless retired. */
interface PageMemo {
  entry: MemoryPage;
  validUntil: number;
}

/** A page as stored in Redis (JSON): identity text for small pages, else both compressed forms in base64. */
type StoredPage = Omit<CachedPage, 'body'> & ({ html: string } | { gzip: string; br: string });

/** Rendered pages by (tenant, site version, path), in memory and (when configured) Redis. */
export interface PageCache {
  get(tenant: TenantRecord, pathname: string): Promise<MemoryPage | undefined>;
  /** The page when this process holds it in memory, read synchronously; never asks Redis. */
  peek(tenant: TenantRecord, pathname: string): MemoryPage | undefined;
  /**
   * Stores a page: in memory at once (as identity, so waiting misses are answered), then, once
   * compressed off the event loop, as gzip and brotli in memory and Redis. Resolves when stored
   * everywhere; never rejects (Redis trouble is logged by its layer).
   */
  put(tenant: TenantRecord, pathname: string, page: CachedPage, ttlMs: number): Promise<void>;
  /** The identity bytes of a held page (derived from gzip, then kept and counted, when not held). */
  identity(entry: MemoryPage): Buffer;
  /**
   * One render per page at a time in this process: the first miss claims the render and later
   * misses wait for its result. `finish` releases a claim whose render stored nothing.
   */
  claimRender(tenant: TenantRecord, pathname: string): { claimed: true; finish(): void } | { claimed: false; result: Promise<MemoryPage | undefined> };
  /**
   * Drops a tenant's pages from memory — those of site versions below `belowVersion` when given
   * (newer ones are already current), else all; returns the paths of the pages dropped (not of
   * the not-found answers).
   */
  forget(tenantPrefix: string, belowVersion?: number): string[];
  clear(): void;
  /** Drops expired entries, which are otherwise only dropped when read or pushed out. */
  purgeStale(): boolean;
  readonly bytes: number;
  /** Entries and counted bytes, for the metrics. */
  holdings(): CacheHoldings;
}

/**
 * What an entry holds besides its bytes and strings: the LRU node, the entry and metadata objects
 * and the hit answers the responder prepares for it (two or three variants in practice).
 */
export const ENTRY_OVERHEAD = 2048;

/**
 * How long `peek` answers from its memo before it reads the LRU again: not for correctness (a
 * dropped or replaced page is retired at once, an expired one by its time), but so a busy page's
 * place in the LRU is refreshed and it is not pushed out as if unused.
 */
export const PEEK_RECHECK_MS = 1000;

/** Paths remembered per tenant record; past this many its memo starts over (random URLs). */
const MEMO_PATHS = 64;

/** Not-found pages get this share of the budget, in a cache of their own. */
export const NOT_FOUND_SHARE = 1 / 8;

/** The LRU let go of an entry: it is no longer served from `peek`'s memo, which lets go of it too. */
function retire(entry: MemoryPage): void {
  entry.retired = true;
  const memo = entry.memo;
  if (memo && memo.paths.get(memo.path)?.entry === entry) memo.paths.delete(memo.path);
  entry.memo = null;
}

const held = (bytes: Buffer | null): number => bytes?.buffer.byteLength ?? 0;

/** Bytes an entry keeps alive: every form it holds, its strings (one byte a character when Latin-1) and the overhead. */
export function entrySize(entry: MemoryPage, key: string): number {
  // Pages stored in Redis before pages carried their policy have none (the responder renders them again).
  const csp = typeof entry.page.csp === 'string' ? entry.page.csp.length : 0;
  return held(entry.body) + held(entry.gzip) + held(entry.br) + key.length + csp + entry.page.etag.length + ENTRY_OVERHEAD;
}

const entryOf = (key: string, page: Omit<CachedPage, 'body'>, body: Buffer | null, forms: CompressedForms | null): MemoryPage => ({
  key,
  page,
  body,
  gzip: forms?.gzip ?? null,
  br: forms?.br ?? null,
  prepared: [],
  retired: false,
  memo: null,
});

function fromStored(key: string, stored: StoredPage): MemoryPage {
  if ('html' in stored) {
    const { html, ...page } = stored;
    return entryOf(key, page, ownBytes(html), null);
  }
  const { gzip, br, ...page } = stored;
  return entryOf(key, page, null, { gzip: fromBase64(gzip), br: fromBase64(br) });
}

/**
 * Pages live in memory as bytes ready to write (what the byte budget counts) and in Redis as
 * JSON, so a new instance starts warm. Not-found pages live apart, in a share of the budget, so
 * random URLs cannot push out real pages.
 */
export function createPageCache(options: { maxEntries: number; maxBytes: number; shared: CacheLayer | null; now?: () => number }): PageCache {
  const now = options.now ?? Date.now;
  const bounded = (maxEntries: number, maxSize: number) =>
    new LRUCache<string, MemoryPage>({
      max: Math.max(1, Math.floor(maxEntries)),
      maxSize: Math.max(1, Math.floor(maxSize)),
      sizeCalculation: entrySize,
      dispose: retire,
    });
  const notFoundBytes = options.maxBytes * NOT_FOUND_SHARE;
  const found = bounded(options.maxEntries, options.maxBytes - notFoundBytes);
  const notFound = bounded(options.maxEntries * NOT_FOUND_SHARE, notFoundBytes);
  const lru = (status: number) => (status === 404 ? notFound : found);
  const { shared } = options;
  const keyOf = (tenant: TenantRecord, pathname: string) => pageHtmlKey(tenant.id, tenant.siteVersion, normalizePath(pathname));
  const reading = new Map<string, Promise<MemoryPage | undefined>>();
  const rendering = new Map<string, (page: MemoryPage | undefined) => void>();
  const waiting = new Map<string, Promise<MemoryPage | undefined>>();

  const remember = (entry: MemoryPage, ttlMs: number): MemoryPage => {
    if (ttlMs > 0) lru(entry.page.status).set(entry.key, entry, { ttl: ttlMs });
    return entry;
  };
  /** Puts `next` where `current` is, with the time it had left (recounting its size); not if it was dropped meanwhile. */
  const replace = (current: MemoryPage, next: MemoryPage): void => {
    const memory = lru(current.page.status);
    if (memory.peek(current.key) !== current) return;
    const ttl = memory.getRemainingTTL(current.key);
    if (ttl > 0) memory.set(current.key, next, { ttl });
  };
  const settle = (key: string, page: MemoryPage | undefined) => {
    rendering.get(key)?.(page);
    rendering.delete(key);
    waiting.delete(key);
  };

  async function fromShared(key: string): Promise<MemoryPage | undefined> {
    const entry = await shared!.get(key);
    if (!entry?.value) return undefined;
    return remember(fromStored(key, entry.value as StoredPage), entry.expiresAt - Date.now());
  }

  const peek = (key: string) => found.get(key) ?? notFound.get(key);

  // Per tenant record (a new one for every site version, so versions and tenants never mix) and
  // path, the page last found: a hit then costs two map reads, no key built, no LRU reordered.
  const memos = new WeakMap<TenantRecord, Map<string, PageMemo>>();

  function memoPeek(tenant: TenantRecord, pathname: string): MemoryPage | undefined {
    const at = now();
    const path = pathname.length > 1 && pathname.endsWith('/') ? normalizePath(pathname) : pathname;
    let paths = memos.get(tenant);
    const memo = paths?.get(path);
    if (memo && at < memo.validUntil && !memo.entry.retired) return memo.entry;
    const key = keyOf(tenant, path);
    const entry = peek(key);
    if (!entry) return undefined;
    if (!paths) memos.set(tenant, (paths = new Map()));
    else if (!memo && paths.size >= MEMO_PATHS) paths.clear();
    const validUntil = at + Math.min(lru(entry.page.status).getRemainingTTL(key), PEEK_RECHECK_MS);
    if (memo) {
      memo.entry = entry;
      memo.validUntil = validUntil;
    } else paths.set(path, { entry, validUntil });
    entry.memo = { paths, path };
    return entry;
  }

  return {
    async get(tenant, pathname) {
      const key = keyOf(tenant, pathname);
      const hit = peek(key);
      if (hit || !shared) return hit;
      let pending = reading.get(key);
      if (!pending) {
        pending = fromShared(key).finally(() => reading.delete(key));
        reading.set(key, pending);
      }
      return pending;
    },
    peek: memoPeek,
    async put(tenant, pathname, page, ttlMs) {
      const key = keyOf(tenant, pathname);
      const { body, ...meta } = page;
      const plain = entryOf(key, meta, body, null);
      settle(key, remember(plain, ttlMs));
      const expiresAt = Date.now() + ttlMs;
      // Compression cannot fail on bytes; if it ever did, the page stays identity only.
      const forms = await compressPage(body).catch(() => null);
      if (!forms) {
        const stored: StoredPage = { ...meta, html: body.toString('utf8') };
        await shared?.set(key, { value: stored, expiresAt });
        return;
      }
      replace(plain, entryOf(key, meta, null, forms));
      const stored: StoredPage = { ...meta, gzip: forms.gzip.toString('base64'), br: forms.br.toString('base64') };
      await shared?.set(key, { value: stored, expiresAt });
    },
    identity(entry) {
      if (entry.body) return entry.body;
      // Only entries with a compressed form lack identity bytes.
      const body = entry.gzip ? gunzipPage(entry.gzip) : Buffer.alloc(0);
      entry.body = body;
      // A new object: the LRU recounts an entry's size only when its value changes.
      replace(entry, { ...entry, memo: null });
      return body;
    },
    claimRender(tenant, pathname) {
      const key = keyOf(tenant, pathname);
      const pending = waiting.get(key);
      if (pending) return { claimed: false, result: pending };
      waiting.set(key, new Promise((resolve) => rendering.set(key, resolve)));
      return { claimed: true, finish: () => settle(key, undefined) };
    },
    forget(prefix, belowVersion = Infinity) {
      const paths: string[] = [];
      for (const memory of [found, notFound]) {
        for (const key of [...memory.keys()]) {
          if (!key.startsWith(prefix)) continue;
          const parsed = parsePageHtmlKey(key);
          if (parsed && parsed.siteVersion >= belowVersion) continue;
          if (parsed && memory === found) paths.push(parsed.path);
          memory.delete(key);
        }
      }
      return paths;
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
