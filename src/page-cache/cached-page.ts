import { createHash } from 'node:crypto';
import { HSTS, pageSecurityHeaders } from '../render/security-headers.ts';
import type { PageEncoding } from './accept-encoding.ts';
import { ownBytes } from './page-bytes.ts';

/** A rendered page as stored in the page cache and sent on a hit. */
export interface CachedPage {
  status: number;
  /** The identity bytes, in a buffer of their own. */
  body: Buffer;
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

/** `content`: text, or bytes of their own (as `readPageBytes` gives), kept without a copy. */
export function cachedPage(status: number, content: string | Buffer, maxAgeSeconds: number, csp: string): CachedPage {
  const body = typeof content === 'string' ? ownBytes(content) : content;
  const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
  return { status, body, etag, maxAgeSeconds, csp };
}

/**
 * One way of answering a hit, prepared once per cached page and variant (encoding × scheme):
 * headers as the flat name/value lists `writeHead` takes, and the bytes to send.
 */
export interface PreparedHit {
  etag: string;
  headers: (string | number)[];
  /** The same without Content-Length, for a 304. */
  notModified: (string | number)[];
  body: Buffer;
}

/** The ETag of one encoding of a page: each encoding is a representation of its own (RFC 9110 §8.8.3). */
export const encodedEtag = (etag: string, encoding: PageEncoding): string => (encoding === 'identity' ? etag : `${etag.slice(0, -1)}.${encoding}"`);

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
export function pageHeaders(page: Omit<CachedPage, 'body' | 'status'>, slug: string, policy: CdnPolicy, variant: ResponseVariant): Record<string, string> {
  const sMaxAge = Math.min(policy.cdnMaxAgeSeconds, page.maxAgeSeconds);
  return {
    ...pageSecurityHeaders(page.csp),
    ...(variant.secure ? HSTS : {}),
    // Hits are sent in the encoding the client accepts, so every answer for a page varies by it.
    Vary: variant.vary ? `${variant.vary}, Accept-Encoding` : 'Accept-Encoding',
    'Content-Type': page.contentType ?? 'text/html; charset=utf-8',
    'Cache-Control': `public, max-age=0, must-revalidate, s-maxage=${sMaxAge}, stale-while-revalidate=${policy.cdnStaleSeconds}`,
    ETag: page.etag,
    'Surrogate-Key': `mosaic ${surrogateKey(slug)}`,
    'X-Mosaic-Cache': variant.cacheState,
  };
}

/** The CDN purge key of one site. */
export const surrogateKey = (slug: string): string => `mosaic-site-${slug}`;

/** True when the client already holds this exact representation (`etag`: the one about to be sent). */
export function isNotModified(etag: string, ifNoneMatch: string | null | undefined): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch === etag) return true;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/**
 * Only plain page views are shared: a form's answer (`?contact=…`) is personal and never cached.
 * `search` is the target's query (`?…`), or '' when it has none.
 */
export function isCacheableRequest(method: string, search: string): boolean {
  return (method === 'GET' || method === 'HEAD') && (search === '' || !new URLSearchParams(search).has('contact'));
}
