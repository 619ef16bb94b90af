import type { PageComposition } from '../compositions/composition-schema.ts';
import type { MosaicConfig } from '../config/config.ts';
import { hostCandidates } from '../host/host-candidates.ts';
import type { SiteRepository } from '../site/site-repository.ts';
import type { TenantRecord } from '../site/site-types.ts';

/** What a site host means, decided before any page is read. */
export type SiteResolution =
  | { kind: 'no-site' }
  | { kind: 'suspended'; tenant: TenantRecord }
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

  const tenant = await repo.tenant(match.tenantId);
  if (!tenant || tenant.status === 'cancelled') return { kind: 'no-site' };

  const origin = siteOrigin(tenant, config);
  if (match.via === 'domain' && !match.isPrimary && match.primaryHostname) {
    return { kind: 'redirect', location: `${origin}${request.url.pathname}${request.url.search}` };
  }
  if (tenant.status === 'suspended') return { kind: 'suspended', tenant };
  return { kind: 'site', tenant, origin, host: request.host };
}

/** The tenant's canonical origin: its primary domain, else its platform address. */
export function siteOrigin(tenant: Pick<TenantRecord, 'slug' | 'primaryHostname'>, config: Pick<MosaicConfig, 'platformDomain' | 'publicScheme'>): string {
  if (tenant.primaryHostname) return `${config.publicScheme}://${tenant.primaryHostname}`;
  // Platform addresses under `localhost` are local previews: browsers only reach them over http.
  const scheme = config.platformDomain === 'localhost' ? 'http' : config.publicScheme;
  return `${scheme}://${tenant.slug}.${config.platformDomain}`;
}
