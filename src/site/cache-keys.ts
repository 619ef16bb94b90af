import { hostCandidates } from '../host/host-candidates.ts';

// Every site cache key is built here. Keys for tenant data start with the tenant's id and carry its
// site version, so a publish moves readers to new keys and old entries simply age out.

export const hostKey = (hostname: string | null, platformSlug: string | null): string =>
  `host:${hostname ?? ''}|${platformSlug ?? ''}`;

/** The key a request for this normalized host is looked up under (see `resolveSite`). */
export const hostKeyFor = (hostname: string, platformDomain: string): string => {
  const lookup = hostCandidates(hostname, platformDomain);
  return hostKey(lookup.hostname, lookup.platformSlug);
};

/**
 * The braces are a Redis Cluster hash tag: only the tenant id decides the slot, so every entry of
 * one tenant (and its load leases) lives on one node, and tenants spread over the cluster.
 */
export const tenantPrefix = (tenantId: string): string => `t:{${tenantId}}:`;

export const tenantKey = (tenantId: string): string => `${tenantPrefix(tenantId)}tenant`;

// The two kinds of entry that carry no site version: after a gap in the change log they are the
// ones an instance can no longer vouch for.
export const isHostKey = (key: string): boolean => key.startsWith('host:');
export const isTenantRecordKey = (key: string): boolean => /^t:\{[^}]+\}:tenant$/.test(key);

const versioned = (tenantId: string, siteVersion: number): string => `${tenantPrefix(tenantId)}v${siteVersion}:`;

export const themeKey = (tenantId: string, siteVersion: number): string => `${versioned(tenantId, siteVersion)}theme`;

export const pageKey = (tenantId: string, siteVersion: number, path: string): string =>
  `${versioned(tenantId, siteVersion)}page:${path}`;

export const latestPostsKey = (tenantId: string, siteVersion: number, limit: number): string =>
  `${versioned(tenantId, siteVersion)}posts:${limit}`;

export const postKey = (tenantId: string, siteVersion: number, slug: string): string =>
  `${versioned(tenantId, siteVersion)}post:${slug}`;

export const publishedPathsKey = (tenantId: string, siteVersion: number): string => `${versioned(tenantId, siteVersion)}paths`;

/** The cluster-wide claim on pre-rendering one site version's pages (see `src/render/prerender.ts`). */
export const prerenderClaimKey = (tenantId: string, siteVersion: number): string => `${versioned(tenantId, siteVersion)}prerender`;

export const pageHtmlKey = (tenantId: string, siteVersion: number, path: string): string =>
  `${versioned(tenantId, siteVersion)}html:${path}`;

/** The site version and path a `pageHtmlKey` was built from; null for any other key. */
export function parsePageHtmlKey(key: string): { siteVersion: number; path: string } | null {
  const match = /^t:\{[^}]+\}:v(\d+):html:(.*)$/s.exec(key);
  return match ? { siteVersion: Number(match[1]), path: match[2]! } : null;
}

/** A resized image: its bytes never change, so no site version is needed; a deleted image is checked per request. */
export const mediaKey = (tenantId: string, mediaId: string, width: number, format: string): string =>
  `${tenantPrefix(tenantId)}media:${mediaId}:${width}.${format}`;

/** A tenant's budget of origin work (renders, form posts, API calls), counted per window. */
export const originBudgetKey = (tenantId: string): string => `${tenantPrefix(tenantId)}origin`;

/**
 * A rendered section (see `src/render/section-fragments.ts`). No site version: a publish that
 * leaves a section and the site's facts as they were keeps its key. `siteInputs` digests what
 * every section of the site may show (theme, settings, name, origin, path, build); `content`
 * digests the section's props and data; the component chosen is named outright.
 */
export const sectionFragmentKey = (tenantId: string, siteInputs: string, type: string, variant: string | null, content: string): string =>
  `${tenantPrefix(tenantId)}fragment:${siteInputs}:${type}/${variant ?? ''}:${content}`;
