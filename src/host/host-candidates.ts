import { normalizeHost } from './normalize-host.ts';

/** How to look a normalized host up: as a custom domain, and as `<slug>.<platform domain>`. */
export interface HostLookup {
  hostname: string;
  platformSlug: string | null;
}

export function hostCandidates(host: string, platformDomain: string): HostLookup {
  const platform = normalizeHost(platformDomain);
  const suffix = platform.ok ? `.${platform.host}` : null;
  if (suffix && host.endsWith(suffix)) {
    const slug = host.slice(0, -suffix.length);
    if (slug.length > 0 && !slug.includes('.')) return { hostname: host, platformSlug: slug };
  }
  return { hostname: host, platformSlug: null };
}
