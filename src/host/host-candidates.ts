import { normalizeHost } from './normalize-host.ts';

/** How to look a normalized host up: as a custom domain, and as `<slug>.<platform domain>`. */
export interface HostLookup {
  hostname: string;
  /** Set only when the host is exactly one label under the platform domain. */
  platformSlug: string | null;
}

export const DEFAULT_PLATFORM_DOMAIN = 'localhost';

/**
 * `host` must already be normalized (see `normalizeHost`); the platform domain is normalized
 * here. An unusable platform domain yields no platform slug. Never throws.
 */
export function hostCandidates(host: string, platformDomain: string = DEFAULT_PLATFORM_DOMAIN): HostLookup {
  const platform = normalizeHost(platformDomain);
  if (!platform.ok) return { hostname: host, platformSlug: null };
  const suffix = `.${platform.host}`;
  const slug = host.endsWith(suffix) ? host.slice(0, -suffix.length) : '';
  const single = slug.length > 0 && !slug.includes('.');
  return { hostname: host, platformSlug: single ? slug : null };
}
