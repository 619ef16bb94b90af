import { createHash } from 'node:crypto';
import { HSTS, pageSecurityHeaders } from '../render/security-headers.ts';

/** A rendered page as stored in the page cache and sent on a hit. */
export interface CachedPage {
  status: number;
  html: string;
  etag: string;
  /** How long the page may be reused (seconds): the shortest any of its sections allows. */
  maxAgeSeconds: number;
  /** The page's Content-Security-Policy, with the hashes of the scripts and styles it was rendered with. */
  csp: string;
  /** Set for what is not an HTML page (`sitemap.xml`, `robots.txt`). */
  contentType?: string;
}

export interface CdnPolicy {
  cdnMaxAgeSeconds: number;
  cdnStaleSeconds: number;
}

export function cachedPage(status: number, html: string, maxAgeSeconds: number, csp: string): CachedPage {
  const etag = `"${createHash('sha1').update(html).digest('base64url').slice(0, 22)}"`;
  return { status, html, etag, maxAgeSeconds, csp };
}

/** How the response to one request differs from another's for the same page. */
export interface ResponseVariant {
  cacheState: 'hit' | 'miss' | 'off';
  /** Arrived over HTTPS: add Strict-Transport-Security. */
  secure: boolean;
  /** Set when the tenant was chosen by a trusted proxy's forwarded headers. */
  vary: string | null;
}

/**
 * Headers for a cacheable page. Browsers revalidate every time (cheap with the ETag); CDNs may keep
 * it for `s-maxage` and serve it stale while revalidating; `Surrogate-Key` lets a CDN purge one
 * site by its public slug (never an internal id).
 */
export function pageHeaders(page: Omit<CachedPage, 'html' | 'status'>, slug: string, policy: CdnPolicy, variant: ResponseVariant): Record<string, string> {
  const sMaxAge = Math.min(policy.cdnMaxAgeSeconds, page.maxAgeSeconds);
  return {
    ...pageSecurityHeaders(page.csp),
    ...(variant.secure ? HSTS : {}),
    ...(variant.vary ? { Vary: variant.vary } : {}),
    'Content-Type': page.contentType ?? 'text/html; charset=utf-8',
    'Cache-Control': `public, max-age=0, must-revalidate, s-maxage=${sMaxAge}, stale-while-revalidate=${policy.cdnStaleSeconds}`,
    ETag: page.etag,
    'Surrogate-Key': `mosaic ${surrogateKey(slug)}`,
    'X-Mosaic-Cache': variant.cacheState,
  };
}

/** The CDN purge key of one site. */
export const surrogateKey = (slug: string): string => `mosaic-site-${slug}`;

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
  return (method === 'GET' || method === 'HEAD') && !url.searchParams.has('contact');
}
