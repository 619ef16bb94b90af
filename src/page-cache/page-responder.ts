import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MosaicConfig } from '../config/config.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { ResolvedSite } from '../request/resolve-site.ts';
import { HSTS, pagePolicy, pageSecurityHeaders } from '../render/security-headers.ts';
import { chooseEncoding, PAGE_ENCODINGS, type PageEncoding } from './accept-encoding.ts';
import { cachedPage, encodedEtag, isNotModified, pageHeaders, type PreparedHit, type ResponseVariant } from './cached-page.ts';
import type { SiteDocument } from '../site/site-documents.ts';
import type { MemoryPage, PageCache } from './page-cache.ts';
import { bytesResponse, declaredLength, readPageBytes } from './page-bytes.ts';

/** `answer` served the request from the cache. */
export const SERVED = Symbol('served');

/** Everything the page cache does for a request, in one place: claim, serve a hit, store a render, 304. */
export interface PageResponder {
  /**
   * Serves the page when this process holds it in memory, synchronously (nothing awaited, no
   * promise made): true when answered. Else the caller goes on to `answer`.
   */
  hit(req: IncomingMessage, res: ServerResponse, site: ResolvedSite, pathname: string, secure: boolean): boolean;
  /**
   * In the Node front, before rendering: serves a hit (`SERVED`). On a miss, waits for a render of
   * the same page already under way, or claims the render and returns the function that releases
   * the claim once Astro is done; null when there is nothing to claim.
   */
  answer(req: IncomingMessage, res: ServerResponse, site: ResolvedSite, pathname: string, secure: boolean): Promise<typeof SERVED | (() => void) | null>;
  /** In Astro's middleware, after rendering: stores the page and answers with its validators. */
  store(site: ResolvedSite, pathname: string, request: Request, rendered: Response, maxAgeSeconds: number | undefined, secure: boolean, awaitShared?: boolean): Promise<Response>;
  /** A rendered response that is never shared (a form's answer, an error): no-store, page headers. */
  uncached(rendered: Response, secure: boolean): Response;
  /**
   * In the Node front, for a site file built without Astro (`sitemap.xml`, `robots.txt`): served
   * from the page cache like a page, else built once, stored and sent.
   */
  document(req: IncomingMessage, res: ServerResponse, site: ResolvedSite, pathname: string, secure: boolean, build: () => Promise<SiteDocument>): Promise<void>;
}

/** Nothing in a site file runs or loads anything. */
const DOCUMENT_POLICY = "default-src 'none'; frame-ancestors 'none'";

type ResponderConfig = Pick<MosaicConfig, 'pageCache' | 'cache'>;

/**
 * `vary` names the forwarded headers that chose the tenant, when a proxy is trusted. Each hit
 * answer (headers and bytes, per encoding and scheme) is prepared once per cached page and kept
 * on it, so a hit only picks one and writes it.
 */
export function createPageResponder(options: { pages: PageCache | null; config: ResponderConfig; metrics: Metrics; vary: string | null }): PageResponder {
  const { pages, config, metrics, vary } = options;
  const variant = (cacheState: ResponseVariant['cacheState'], secure: boolean): ResponseVariant => ({ cacheState, secure, vary });
  // Where a hit was found: memory, or Redis (read on the request's time).
  const hits = metrics.pageCache.labels({ result: 'hit', layer: 'memory' });
  const sharedHits = metrics.pageCache.labels({ result: 'hit', layer: 'redis' });
  const misses = metrics.pageCache.labels({ result: 'miss', layer: 'none' });

  function prepare(entry: MemoryPage, encoding: PageEncoding, slug: string, secure: boolean): PreparedHit {
    const body = encoding === 'identity' ? pages!.identity(entry) : entry[encoding]!;
    const etag = encodedEtag(entry.page.etag, encoding);
    const notModified = Object.entries(pageHeaders({ ...entry.page, etag }, slug, config.pageCache, variant('hit', secure))).flat();
    const encoded = encoding === 'identity' ? [] : ['Content-Encoding', encoding];
    return { etag, notModified, headers: [...notModified, ...encoded, 'Content-Length', body.length], body };
  }

  function serveHit(req: IncomingMessage, res: ServerResponse, entry: MemoryPage, slug: string, secure: boolean): void {
    // Small pages are held as identity only; a page with a gzip form has a brotli one too.
    const encoding = entry.gzip ? chooseEncoding(req.headers['accept-encoding']) : 'identity';
    const slot = PAGE_ENCODINGS.indexOf(encoding) * 2 + (secure ? 1 : 0);
    const hit = entry.prepared[slot] ?? (entry.prepared[slot] = prepare(entry, encoding, slug, secure));
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch !== undefined && isNotModified(hit.etag, ifNoneMatch)) {
      res.writeHead(304, hit.notModified);
      res.end();
      return;
    }
    res.writeHead(entry.page.status, hit.headers);
    res.end(req.method === 'HEAD' ? undefined : hit.body);
  }

  // A page stored before pages carried their policy is rendered again rather than sent without one.
  const usable = (entry: MemoryPage | undefined): entry is MemoryPage => entry !== undefined && typeof entry.page.csp === 'string';

  function uncached(rendered: Response, secure: boolean): Response {
    const html = (rendered.headers.get('content-type') ?? '').startsWith('text/html');
    const policy = html ? pagePolicy(rendered.headers.get('content-security-policy')) : null;
    const headers = new Headers(rendered.headers);
    if (policy) for (const [name, value] of Object.entries(pageSecurityHeaders(policy))) headers.set(name, value);
    if (secure) headers.set('Strict-Transport-Security', HSTS['Strict-Transport-Security']!);
    if (vary) headers.set('Vary', vary);
    headers.set('Cache-Control', 'no-store');
    return new Response(rendered.body, { status: rendered.status, statusText: rendered.statusText, headers });
  }

  const responder: PageResponder = {
    hit(req, res, site, pathname, secure) {
      const page = pages?.peek(site.tenant, pathname);
      if (!usable(page)) return false;
      hits.inc();
      serveHit(req, res, page, site.tenant.slug, secure);
      return true;
    },

    async answer(req, res, site, pathname, secure) {
      if (!pages) return null;
      const held = pages.peek(site.tenant, pathname);
      let page = held ?? (await pages.get(site.tenant, pathname));
      let found = usable(held) ? hits : sharedHits;
      if (!usable(page)) {
        const render = pages.claimRender(site.tenant, pathname);
        if (render.claimed) {
          misses.inc();
          return render.finish;
        }
        // Another request's render, stored in this process's memory.
        page = await render.result;
        if (!page) return null;
        found = hits;
      }
      found.inc();
      serveHit(req, res, page, site.tenant.slug, secure);
      return SERVED;
    },

    async store(site, pathname, request, rendered, maxAgeSeconds, secure, awaitShared = false) {
      const html = (rendered.headers.get('content-type') ?? '').startsWith('text/html');
      if (!html || (rendered.status !== 200 && rendered.status !== 404)) return uncached(rendered, secure);
      // Only a GET render is stored: for a HEAD, Astro swaps a page's own 404 for its default one.
      if (request.method !== 'GET') return uncached(rendered, secure);
      // Unknown paths are remembered only briefly, so random URLs cannot crowd out real pages.
      const limit = rendered.status === 404 ? config.cache.negativeTtlMs : config.pageCache.ttlMs;
      const seconds = Math.min(maxAgeSeconds ?? Infinity, limit / 1000);
      const body = await readPageBytes(rendered.body, declaredLength(rendered.headers));
      const page = cachedPage(rendered.status, body, seconds, pagePolicy(rendered.headers.get('content-security-policy')));
      // Memory holds the page as soon as `put` is called (waiting misses are answered from it); the
      // visitor does not wait for its compression and the Redis write, a pre-render does.
      const stored = pages?.put(site.tenant, pathname, page, seconds * 1000);
      if (awaitShared) await stored;
      const headers = pageHeaders(page, site.tenant.slug, config.pageCache, variant(pages ? 'miss' : 'off', secure));
      if (isNotModified(page.etag, request.headers.get('if-none-match'))) return new Response(null, { status: 304, headers });
      // The stored bytes themselves: no copy of the page for the visitor.
      return bytesResponse(page.body, { status: page.status, headers: { ...headers, 'Content-Length': String(page.body.length) } });
    },

    uncached,

    async document(req, res, site, pathname, secure, build) {
      const claim = await responder.answer(req, res, site, pathname, secure);
      if (claim === SERVED) return;
      try {
        const built = await build();
        const seconds = config.pageCache.ttlMs / 1000;
        const page = { ...cachedPage(200, built.body, seconds, DOCUMENT_POLICY), contentType: built.contentType };
        // As for pages: answered once memory holds it, compressed and shared after.
        void pages?.put(site.tenant, pathname, page, seconds * 1000);
        const headers = pageHeaders(page, site.tenant.slug, config.pageCache, variant(pages ? 'miss' : 'off', secure));
        if (isNotModified(page.etag, req.headers['if-none-match'])) {
          res.writeHead(304, headers);
          res.end();
          return;
        }
        res.writeHead(200, { ...headers, 'Content-Length': page.body.length });
        res.end(req.method === 'HEAD' ? undefined : page.body);
      } finally {
        claim?.();
      }
    },
  };
  return responder;
}
