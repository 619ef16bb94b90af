import type { Kysely } from 'kysely';
import type { PageComposition } from '../compositions/composition-schema.ts';
import type { CacheEntry } from '../cache/cache-layer.ts';
import type { Database } from '../db/schema.ts';
import { hostKey, latestPostsKey, pageKey, postKey, publishedPathsKey, tenantKey, themeKey } from './cache-keys.ts';
import { queryHost, queryLatestPosts, queryPost, queryPublishedPage, queryPublishedPaths, queryTenant, queryTheme } from './site-queries.ts';
import type { LatestPosts } from '../../registry/types.ts';
import type { HostMatch, PostRecord, PublishedPath, TenantRecord } from './site-types.ts';
import { renderTenantTheme, type RenderedTheme } from './tenant-theme.ts';

/** The slice of the tiered cache the site needs. */
export interface SiteCache {
  getOrLoad<T>(key: string, load: () => Promise<T | null>, options: { ttlMs: number; negativeTtlMs: number; staleMs?: number }): Promise<T | null>;
  invalidate(keys: readonly string[]): Promise<void>;
  /** A fresh entry held in this process, read synchronously (absent: the caller takes the async path). */
  peekFresh?(key: string): CacheEntry | undefined;
}

export interface SiteRepositoryOptions {
  db: Kysely<Database>;
  /**
   * A small pool of its own for host lookups and tenant records, so slow page loads that fill
   * `db`'s pool cannot hold up resolving which site a request is for. Defaults to `db`.
   */
  routingDb?: Kysely<Database>;
  cache: SiteCache;
  ttlMs: number;
  tenantTtlMs: number;
  negativeTtlMs: number;
  /** Stale-while-revalidate window for content (not for tenant records, which carry the version). */
  staleMs?: number;
  /** Counts each Postgres load by kind, for metrics. */
  onLoad?: (kind: LoadKind) => void;
}

export type LoadKind = 'host' | 'tenant' | 'theme' | 'page' | 'posts' | 'post' | 'paths';

/** Everything a request reads about a site, through the memory → Redis → Postgres cache. */
export interface SiteRepository {
  findHost(hostname: string | null, platformSlug: string | null): Promise<HostMatch | null>;
  tenant(tenantId: string): Promise<TenantRecord | null>;
  theme(tenant: TenantRecord): Promise<RenderedTheme>;
  page(tenant: TenantRecord, path: string): Promise<PageComposition | null>;
  latestPosts(tenant: TenantRecord, limit: number): Promise<LatestPosts>;
  post(tenant: TenantRecord, slug: string): Promise<PostRecord | null>;
  /** The published pages the sitemap lists. */
  publishedPaths(tenant: TenantRecord): Promise<PublishedPath[]>;
  /**
   * What this process holds fresh in memory, read without waiting: the cache entry of a host match
   * or tenant record (value null: known absent), or undefined when it must be looked up with
   * `findHost`/`tenant`. The entry tells how long it stays fresh and is marked `RETIRED` once
   * memory drops or replaces it, so a caller may remember it instead of asking again.
   */
  known: {
    host(key: string): CacheEntry<HostMatch> | undefined;
    tenant(key: string): CacheEntry<TenantRecord> | undefined;
  };
}

export function createSiteRepository(options: SiteRepositoryOptions): SiteRepository {
  const { db, cache } = options;
  const routingDb = options.routingDb ?? db;
  const content = { ttlMs: options.ttlMs, negativeTtlMs: options.negativeTtlMs, staleMs: options.staleMs ?? 0 };
  const counted = <T>(kind: LoadKind, load: () => Promise<T>) => () => {
    options.onLoad?.(kind);
    return load();
  };
  // The tenant record holds the site version, so it is the one entry that must not live long
  // if an invalidation message is lost.
  const tenantTtl = { ttlMs: options.tenantTtlMs, negativeTtlMs: options.negativeTtlMs, staleMs: options.staleMs ?? 0 };
  const hostTtl = content;

  const peek = <T>(key: string): CacheEntry<T> | undefined => cache.peekFresh?.(key) as CacheEntry<T> | undefined;

  return {
    known: { host: (key) => peek<HostMatch>(key), tenant: (key) => peek<TenantRecord>(key) },
    findHost: (hostname, platformSlug) =>
      cache.getOrLoad(hostKey(hostname, platformSlug), counted('host', () => queryHost(routingDb, hostname, platformSlug)), hostTtl),
    tenant: (tenantId) => cache.getOrLoad(tenantKey(tenantId), counted('tenant', () => queryTenant(routingDb, tenantId)), tenantTtl),
    async theme(tenant) {
      const theme = await cache.getOrLoad(
        themeKey(tenant.id, tenant.siteVersion),
        counted('theme', async () => renderTenantTheme(await queryTheme(db, tenant.id))),
        content,
      );
      return theme ?? renderTenantTheme(null);
    },
    page: (tenant, path) =>
      cache.getOrLoad(pageKey(tenant.id, tenant.siteVersion, path), counted('page', () => queryPublishedPage(db, tenant.id, path)), content),
    async latestPosts(tenant, limit) {
      const key = latestPostsKey(tenant.id, tenant.siteVersion, limit);
      const load = counted('posts', () => queryLatestPosts(db, tenant.id, limit));
      let latest = await cache.getOrLoad(key, load, content);
      // A scheduled post went live since this was cached: read again.
      if (latest?.nextPublishAt && Date.parse(latest.nextPublishAt) <= Date.now()) {
        await cache.invalidate([key]);
        latest = await cache.getOrLoad(key, load, content);
      }
      return latest ?? { posts: [], nextPublishAt: null };
    },
    post: (tenant, slug) =>
      cache.getOrLoad(postKey(tenant.id, tenant.siteVersion, slug), counted('post', () => queryPost(db, tenant.id, slug)), content),
    async publishedPaths(tenant) {
      const paths = await cache.getOrLoad(publishedPathsKey(tenant.id, tenant.siteVersion), counted('paths', () => queryPublishedPaths(db, tenant.id)), content);
      return paths ?? [];
    },
  };
}
