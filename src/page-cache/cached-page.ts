import { createHash } from 'node:crypto';
import { SECURITY_HEADERS } from '../render/security-headers.ts';

/** A rendered page as stored in the page cache and sent on a hit. */
export interface CachedPage {
  status: number;
  html: string;
  etag: string;
  /** How long the page may be reused (seconds): the shortest any of its sections allows. */
  maxAgeSeconds: number;
}

export interface CdnPolicy {
  cdnMaxAgeSeconds: number;
  cdnStaleSeconds: number;
}

export function cachedPage(status: number, html: string, maxAgeSeconds: number): CachedPage {
  const etag = `"${createHash('sha1').update(html).digest('base64url').slice(0, 22)}"`;
  return { status, html, etag, maxAgeSeconds };
}

/**
 * Headers for a cacheable page. Browsers revalidate every time (cheap with the ETag); CDNs may keep
 * it for `s-maxage` and serve it stale while revalidating; `Surrogate-Key` lets a CDN purge one site.
 */
export function pageHeaders(page: Pick<CachedPage, 'etag' | 'maxAgeSeconds'>, tenantId: string, policy: CdnPolicy, cacheState: 'hit' | 'miss' | 'off'): Record<string, string> {
  const sMaxAge = Math.min(policy.cdnMaxAgeSeconds, page.maxAgeSeconds);
  return {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': `public, max-age=0, must-revalidate, s-maxage=${sMaxAge}, stale-while-revalidate=${policy.cdnStaleSeconds}`,
    ETag: page.etag,
    'Surrogate-Key': `mosaic mosaic-tenant-${tenantId}`,
    'X-Mosaic-Cache': cacheState,
  };
}

/** True when the client already holds this exact page. */
export function isNotModified(page: Pick<CachedPage, 'etag'>, ifNoneMatch: string | null | undefined): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === page.etag || t === `W/${page.etag}`;
  });
}

/** Only plain page views are shared: a form's answer (`?contact=…`) is personal and never cached. */
export function isCacheableRequest(method: string, url: URL): boolean {
  return (method === 'GET' || method === 'HEAD') && !url.searchParams.has('contact') && !url.pathname.startsWith('/_mosaic/');
}
