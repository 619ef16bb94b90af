import type { MosaicConfig } from '../config/config.ts';
import { hostCandidates } from '../host/host-candidates.ts';
import { requestHost } from '../host/request-host.ts';
import type { SiteRepository } from '../site/site-repository.ts';
import type { TenantRecord } from '../site/site-types.ts';

/** What a request's host means, decided before any page is read. */
export type SiteResolution =
  | { kind: 'bad-host'; reason: string }
  | { kind: 'no-site' }
  | { kind: 'suspended'; tenant: TenantRecord }
  | { kind: 'redirect'; location: string }
  | { kind: 'site'; tenant: TenantRecord; origin: string; host: string };

export interface HeaderSource {
  get(name: string): string | null;
}

type ResolveConfig = Pick<MosaicConfig, 'platformDomain' | 'publicScheme' | 'trustProxy' | 'allowTenantOverride'>;

/**
 * Host → tenant. Absolute URLs (redirects, canonical) are built from the tenant's own primary
 * domain, never echoed from request headers.
 */
export async function resolveSite(
  repo: SiteRepository,
  config: ResolveConfig,
  request: { headers: HeaderSource; url: URL },
): Promise<SiteResolution> {
  const host = requestHost(request.headers, request.url, {
    trustProxy: config.trustProxy,
    allowOverride: config.allowTenantOverride,
  });
  if (!host.ok) return { kind: 'bad-host', reason: host.reason };

  const lookup = host.override
    ? { hostname: null, platformSlug: host.override }
    : hostCandidates(host.host, config.platformDomain);
  const match = await repo.findHost(lookup.hostname, lookup.platformSlug);
  if (!match) return { kind: 'no-site' };

  const tenant = await repo.tenant(match.tenantId);
  if (!tenant || tenant.status === 'cancelled') return { kind: 'no-site' };

  const origin = siteOrigin(tenant, config);
  if (match.via === 'domain' && !match.isPrimary && match.primaryHostname) {
    return { kind: 'redirect', location: `${origin}${request.url.pathname}${request.url.search}` };
  }
  if (tenant.status === 'suspended') return { kind: 'suspended', tenant };
  return { kind: 'site', tenant, origin, host: host.host };
}

/** The tenant's canonical origin: its primary domain, else its platform address. */
export function siteOrigin(tenant: Pick<TenantRecord, 'slug' | 'primaryHostname'>, config: Pick<MosaicConfig, 'platformDomain' | 'publicScheme'>): string {
  if (tenant.primaryHostname) return `${config.publicScheme}://${tenant.primaryHostname}`;
  // Platform addresses under `localhost` are local previews: browsers only reach them over http.
  const scheme = config.platformDomain === 'localhost' ? 'http' : config.publicScheme;
  return `${scheme}://${tenant.slug}.${config.platformDomain}`;
}
