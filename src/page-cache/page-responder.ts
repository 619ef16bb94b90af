import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MosaicConfig } from '../config/config.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { ResolvedSite } from '../request/resolve-site.ts';
import { HSTS, pagePolicy, pageSecurityHeaders } from '../render/security-headers.ts';
import { cachedPage, isNotModified, pageHeaders, type ResponseVariant } from './cached-page.ts';
import type { SiteDocument } from '../site/site-documents.ts';
import type { MemoryPage, PageCache } from './page-cache.ts';

/** `answer` served the request from the cache. */
export const SERVED = Symbol('served');

/** Everything the page cache does for a request, in one place: claim, serve a hit, store a render, 304. */
export interface PageResponder {
  /**
   * In the Node front, before rendering: serves a hit (`SERVED`). On a miss, waits for a render of
   * the same page already under way, or claims the render and returns the function that releases
   * the claim once Astro is done; null when there is nothing to claim.
   */
  answer(req: IncomingMessage, res: ServerResponse, site: ResolvedSite, pathname: string, secure: boolean): Promise<typeof SERVED | (() => void) | null>;
  /** In Astro's middleware, after rendering: stores the page and answers with its validators. */
  store(site: ResolvedSite, pathname: string, request: Request, rendered: Response, maxAgeSeconds: number | undefined, secure: boolean): Promise<Response>;
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
 * `vary` names the forwarded headers that chose the tenant, when a proxy is trusted. Hit headers
 * are prepared once per cached page (and scheme): memory hits return the same object every time.
 */
export function createPageResponder(options: { pages: PageCache | null; config: ResponderConfig; metrics: Metrics; vary: string | null }): PageResponder {
  const { pages, config, metrics, vary } = options;
  const prepared = new WeakMap<MemoryPage, [plain?: Record<string, string | number>, secure?: Record<string, string | number>]>();
  const variant = (cacheState: ResponseVariant['cacheState'], secure: boolean): ResponseVariant => ({ cacheState, secure, vary });

  function serveHit(req: IncomingMessage, res: ServerResponse, entry: MemoryPage, slug: string, secure: boolean): void {
    let forPage = prepared.get(entry);
    if (!forPage) prepared.set(entry, (forPage = []));
    const slot = secure ? 1 : 0;
    let headers = forPage[slot];
    if (!headers) {
      headers = { ...pageHeaders(entry.page, slug, config.pageCache, variant('hit', secure)), 'Content-Length': entry.body.length };
      forPage[slot] = headers;
    }
    if (isNotModified(entry.page, req.headers['if-none-match'])) {
      const { 'Content-Length': _length, ...rest } = headers;
      res.writeHead(304, rest);
      res.end();
      return;
    }
    res.writeHead(entry.page.status, headers);
    res.end(req.method === 'HEAD' ? undefined : entry.body);
  }

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
    async answer(req, res, site, pathname, secure) {
      if (!pages) return null;
      let page = await pages.get(site.tenant, pathname);
      // A page stored before pages carried their policy is rendered again rather than sent without one.
      if (page && typeof page.page.csp !== 'string') page = undefined;
      if (!page) {
        const render = pages.claimRender(site.tenant, pathname);
        if (render.claimed) {
          metrics.pageCache.inc({ result: 'miss' });
          return render.finish;
        }
        page = await render.result;
        if (!page) return null;
      }
      metrics.pageCache.inc({ result: 'hit' });
      serveHit(req, res, page, site.tenant.slug, secure);
      return SERVED;
    },

    async store(site, pathname, request, rendered, maxAgeSeconds, secure) {
      const html = (rendered.headers.get('content-type') ?? '').startsWith('text/html');
      if (!html || (rendered.status !== 200 && rendered.status !== 404)) return uncached(rendered, secure);
      // Only a GET render is stored: for a HEAD, Astro swaps a page's own 404 for its default one.
      if (request.method !== 'GET') return uncached(rendered, secure);
      // Unknown paths are remembered only briefly, so random URLs cannot crowd out real pages.
      const limit = rendered.status === 404 ? config.cache.negativeTtlMs : config.pageCache.ttlMs;
      const seconds = Math.min(maxAgeSeconds ?? Infinity, limit / 1000);
      const page = cachedPage(rendered.status, await rendered.text(), seconds, pagePolicy(rendered.headers.get('content-security-policy')));
      if (pages) await pages.put(site.tenant, pathname, page, seconds * 1000);
      const headers = pageHeaders(page, site.tenant.slug, config.pageCache, variant(pages ? 'miss' : 'off', secure));
      if (isNotModified(page, request.headers.get('if-none-match'))) return new Response(null, { status: 304, headers });
      return new Response(page.html, { status: page.status, headers });
    },

    uncached,

    async document(req, res, site, pathname, secure, build) {
      const claim = await responder.answer(req, res, site, pathname, secure);
      if (claim === SERVED) return;
      try {
        const built = await build();
        const seconds = config.pageCache.ttlMs / 1000;
        const page = { ...cachedPage(200, built.body, seconds, DOCUMENT_POLICY), contentType: built.contentType };
        if (pages) await pages.put(site.tenant, pathname, page, seconds * 1000);
        const headers = pageHeaders(page, site.tenant.slug, config.pageCache, variant(pages ? 'miss' : 'off', secure));
        if (isNotModified(page, req.headers['if-none-match'])) {
          res.writeHead(304, headers);
          res.end();
          return;
        }
        res.writeHead(200, { ...headers, 'Content-Length': Buffer.byteLength(page.html) });
        res.end(req.method === 'HEAD' ? undefined : page.html);
      } finally {
        claim?.();
      }
    },
  };
  return responder;
}
