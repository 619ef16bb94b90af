import { RETIRED, type CacheEntry } from '../cache/cache-layer.ts';
import type { PageComposition } from '../compositions/composition-schema.ts';
import type { MosaicConfig } from '../config/config.ts';
import { hostCandidates } from '../host/host-candidates.ts';
import { MEMO_HOSTS } from '../host/host-kind.ts';
import { hostKey, tenantKey } from '../site/cache-keys.ts';
import type { SiteRepository } from '../site/site-repository.ts';
import type { HostMatch, TenantRecord } from '../site/site-types.ts';

/** What a site host means, decided before any page is read. */
export type SiteResolution =
  | { kind: 'no-site' }
  | { kind: 'suspended'; tenant: TenantRecord }
  | { kind: 'gone' }
  | { kind: 'redirect'; location: string }
  | { kind: 'site'; tenant: TenantRecord; origin: string; host: string };

export type ResolvedSite = Extract<SiteResolution, { kind: 'site' }>;

/** What the front hands to Astro's middleware in `locals.front`, so it never decides again. */
export interface FrontDecision {
  site: ResolvedSite;
  /** The request arrived over HTTPS. */
  secure: boolean;
  /** The answer may be stored in the page cache. */
  cacheable: boolean;
  /**
   * A pre-render: the page must be in Redis too before the render returns (so the change can be
   * announced). A visitor's miss is answered as soon as memory holds the page; compressing it and
   * writing it to Redis go on after the answer.
   */
  awaitShared?: boolean;
  /** A draft preview (`/_mosaic/preview/<token>`): rendered instead of the published page at the path, never cached. */
  preview?: { composition: PageComposition; adminOrigin: string };
}

export interface SiteRequest {
  /** The normalized host (see `classifyHost`). */
  host: string;
  /** A development-only tenant slug that replaces the host lookup. */
  override: string | null;
  /** Path and query, kept in a redirect to the primary domain. */
  url: Pick<URL, 'pathname' | 'search'>;
}

type ResolveConfig = Pick<MosaicConfig, 'platformDomain' | 'publicScheme'>;

/**
 * Host → tenant. Absolute URLs (redirects, canonical) are built from the tenant's own primary
 * domain, never echoed from request headers.
 */
export async function resolveSite(repo: SiteRepository, config: ResolveConfig, request: SiteRequest): Promise<SiteResolution> {
  const lookup = request.override
    ? { hostname: null, platformSlug: request.override }
    : hostCandidates(request.host, config.platformDomain);
  const match = await repo.findHost(lookup.hostname, lookup.platformSlug);
  if (!match) return { kind: 'no-site' };
  return decideSite(match, await repo.tenant(match.tenantId), config, request);
}

/** What a host's match and its tenant record mean for a request. */
function decideSite(match: HostMatch, tenant: TenantRecord | null, config: ResolveConfig, request: Omit<SiteRequest, 'override'>): SiteResolution {
  if (!tenant) return { kind: 'no-site' };
  if (tenant.status === 'cancelled') return { kind: 'gone' };

  const origin = siteOrigin(tenant, config);
  if (match.via === 'domain' && !match.isPrimary && match.primaryHostname) {
    return { kind: 'redirect', location: `${origin}${request.url.pathname}${request.url.search}` };
  }
  if (tenant.status === 'suspended') return { kind: 'suspended', tenant };
  return { kind: 'site', tenant, origin, host: request.host };
}

/**
 * How long a remembered answer is used before the cache is read again. The answer is dropped at
 * once when an entry it rests on is replaced or dropped (`RETIRED`); this only refreshes the
 * entries' place in the LRU, so a busy site's records are not pushed out as if unused.
 */
export const RECHECK_MS = 1000;

interface HostMemo {
  hostKey: string;
  match?: CacheEntry<HostMatch>;
  tenantKey?: string;
  tenant?: CacheEntry<TenantRecord>;
  resolution?: SiteResolution;
  /** The resolution is used as is until then (ms since the epoch), unless an entry is retired. */
  validUntil: number;
}

const freshUntil = (entry: CacheEntry): number => entry.freshUntil ?? entry.expiresAt;

/**
 * Host → site without waiting, when the host's match and its tenant record are both fresh in this
 * process's memory; undefined otherwise (then `resolveSite`). Per host, the keys, the two cache
 * entries and the answer are remembered: while neither entry is retired (an invalidation, a
 * refresh or an eviction retires it) nor stale, and at most `RECHECK_MS` after the last look, a
 * request costs one map read. Redirects are left to `resolveSite`, as their location depends on
 * the request's path.
 */
export function createKnownSites(repo: SiteRepository, config: ResolveConfig, now: () => number = Date.now): (host: string) => SiteResolution | undefined {
  const memo = new Map<string, HostMemo>();
  return (host) => {
    const at = now();
    let entry = memo.get(host);
    if (entry?.resolution && at < entry.validUntil && !entry.match![RETIRED] && !entry.tenant![RETIRED]) return entry.resolution;
    if (!entry) {
      if (memo.size >= MEMO_HOSTS) memo.clear();
      const lookup = hostCandidates(host, config.platformDomain);
      entry = { hostKey: hostKey(lookup.hostname, lookup.platformSlug), validUntil: 0 };
      memo.set(host, entry);
    }
    const match = repo.known.host(entry.hostKey);
    if (match === undefined) return undefined;
    if (match.value === null) return NO_SITE;
    if (entry.match?.value !== match.value) {
      entry.tenantKey = tenantKey(match.value.tenantId);
      entry.resolution = undefined;
    }
    entry.match = match;
    const tenant = repo.known.tenant(entry.tenantKey!);
    if (tenant === undefined) return undefined;
    if (entry.tenant?.value !== tenant.value || !entry.resolution) {
      const m = match.value;
      entry.resolution = m.via === 'domain' && !m.isPrimary && m.primaryHostname ? undefined : decideSite(m, tenant.value, config, { host, url: NO_URL });
    }
    entry.tenant = tenant;
    entry.validUntil = Math.min(freshUntil(match), freshUntil(tenant), at + RECHECK_MS);
    return entry.resolution;
  };
}

const NO_SITE: SiteResolution = { kind: 'no-site' };
// Only redirects read the request's path, and those are never memoized.
const NO_URL = { pathname: '', search: '' };

/** The tenant's canonical origin: its primary domain, else its platform address. */
export function siteOrigin(tenant: Pick<TenantRecord, 'slug' | 'primaryHostname'>, config: Pick<MosaicConfig, 'platformDomain' | 'publicScheme'>): string {
  if (tenant.primaryHostname) return `${config.publicScheme}://${tenant.primaryHostname}`;
  // Platform addresses under `localhost` are local previews: browsers only reach them over http.
  const scheme = config.platformDomain === 'localhost' ? 'http' : config.publicScheme;
  return `${scheme}://${tenant.slug}.${config.platformDomain}`;
}
