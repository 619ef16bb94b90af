import type { IncomingMessage, ServerResponse } from 'node:http';
import { catalog } from '../../registry/catalog.ts';
import type { AppServices } from '../app/app-services.ts';
import { receiveContactForm } from '../forms/contact-route.ts';
import { tenantOverride } from '../host/request-host.ts';
import { createMediaImages } from '../media/media-images.ts';
import { postgresMediaStore } from '../media/media-store.ts';
import { isCacheableRequest, isNotModified } from '../page-cache/cached-page.ts';
import { SERVED, type PageResponder } from '../page-cache/page-responder.ts';
import { boundedReads, readNodeBody } from '../request/read-body.ts';
import { createKnownSites, resolveSite, type FrontDecision, type ResolvedSite, type SiteResolution } from '../request/resolve-site.ts';
import type { SiteRoute } from '../request/routes.ts';
import { framableBy, PLAIN_SECURITY_HEADERS, previewSecurityHeaders } from '../render/security-headers.ts';
import { statusPageParts } from '../render/status-page.ts';
import { openPreview } from '../preview/open-preview.ts';
import { header, lingerAfterRefusal, replyStatus, type Exchange } from './exchange.ts';
import { robotsTxt, sitemapXml, type SiteDocument } from '../site/site-documents.ts';
import type { createStaticFiles } from './static-files.ts';

/** Astro's middleware-mode handler, as exported by the built `dist/server/entry.mjs`. */
export type AstroHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
  locals: Record<string, unknown>,
) => Promise<void>;

type SiteHandler = { tenant: false; serve(ex: Exchange): void | Promise<void> } | { tenant: true; serve(ex: Exchange, site: ResolvedSite): void | Promise<void> };

// Form bodies read at once, each at most MAX_FORM_BYTES: memory held by uploads stays under 512 KiB.
const FORM_READS_AT_ONCE = 32;
const FORM_READ_DEADLINE_MS = 10_000;
const NO_OVERRIDE = { ok: true, slug: null } as const;

/**
 * The handlers of the site table (`src/request/routes.ts`): build assets need no tenant; every
 * other route first resolves the host to a tenant, and hosts without an active site get their
 * plain status page here.
 */
export function createSiteFront(deps: { app: AppServices; astro: AstroHandler; files: ReturnType<typeof createStaticFiles>; pages: PageResponder }) {
  const { app, astro, files, pages } = deps;
  const formReads = boundedReads(FORM_READS_AT_ONCE);
  const allowOverride = app.config.allowTenantOverride;
  const knownSite = createKnownSites(app.repo, app.config);

  const handlers: Record<SiteRoute, SiteHandler> = {
    'build-asset': { tenant: false, serve: (ex) => files.build(ex) },
    'tenant-asset': { tenant: true, serve: (ex, site) => files.tenant(ex, site.tenant.slug) },
    'contact-form': { tenant: true, serve: contactForm },
    media: { tenant: true, serve: media },
    preview: { tenant: true, serve: preview },
    reserved: { tenant: false, serve: (ex) => replyStatus(ex.req, ex.res, 'PageNotFound', ex.extra) },
    sitemap: { tenant: true, serve: (ex, site) => document(ex, site, async () => sitemapXml(site.origin, await app.repo.publishedPaths(site.tenant))) },
    robots: { tenant: true, serve: (ex, site) => document(ex, site, async () => robotsTxt(site.origin)) },
    page: { tenant: true, serve: page },
  };

  function document(ex: Exchange, site: ResolvedSite, build: () => Promise<SiteDocument>): Promise<void> {
    return pages.document(ex.req, ex.res, site, ex.pathname, ex.view.secure, build);
  }

  const images = createMediaImages({ db: app.db, store: postgresMediaStore });

  /** A site's image at a fixed width; its address names its bytes, so it is cached for a year. */
  async function media(ex: Exchange, site: ResolvedSite): Promise<void> {
    const image = await images(site.tenant.id, ex.url.pathname);
    if (!image) return replyStatus(ex.req, ex.res, 'PageNotFound', { ...ex.extra, 'Cache-Control': 'no-store' });
    const headers = { ...PLAIN_SECURITY_HEADERS, ...ex.extra, 'Cache-Control': 'public, max-age=31536000, immutable', ETag: image.etag };
    if (isNotModified(image.etag, header(ex.req, 'if-none-match'))) {
      ex.res.writeHead(304, headers);
      ex.res.end();
      return;
    }
    ex.res.writeHead(200, { ...headers, 'Content-Type': image.contentType, 'Content-Length': String(image.body.length) });
    ex.res.end(ex.method === 'HEAD' ? undefined : image.body);
  }

  async function preview(ex: Exchange, site: ResolvedSite): Promise<void> {
    const adminOrigin = app.auth.adminOrigin;
    const opening = await openPreview({ db: app.db, keys: app.auth.deps.keys, registry: catalog }, site.tenant, ex.url.pathname, new Date());
    switch (opening.kind) {
      case 'refuse': {
        const headers: Record<string, string> = { ...ex.extra, 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow' };
        // An expired link is what the editor's frame meets between two quick saves: let the frame
        // show it until the next link arrives. Forged or foreign links stay unframable.
        const page = statusPageParts(opening.error).headers['Content-Security-Policy'];
        if (opening.error === 'LinkExpired' && page) headers['Content-Security-Policy'] = framableBy(page, adminOrigin);
        return replyStatus(ex.req, ex.res, opening.error, headers);
      }
      case 'invalid': {
        // Shown in the editor's frame: the same problems publishing would list, one a line.
        const body = `This draft cannot be shown yet:\n${opening.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}\n`;
        ex.res.writeHead(422, { ...previewSecurityHeaders(null, adminOrigin, false), ...ex.extra, 'Content-Type': 'text/plain; charset=utf-8' });
        ex.res.end(ex.method === 'HEAD' ? undefined : body);
        return;
      }
      case 'ready':
        return render(ex, { site, secure: ex.view.secure, cacheable: false, preview: { composition: opening.composition, adminOrigin } });
    }
  }

  /** A page held in memory is written before this returns; anything else waits for the cache or a render. */
  function page(ex: Exchange, site: ResolvedSite): void | Promise<void> {
    const cacheable = isCacheableRequest(ex.method, ex.search);
    if (cacheable && pages.hit(ex.req, ex.res, site, ex.pathname, ex.view.secure)) return;
    return missed(ex, site, cacheable);
  }

  async function missed(ex: Exchange, site: ResolvedSite, cacheable: boolean): Promise<void> {
    let release: (() => void) | null = null;
    if (cacheable) {
      const answer = await pages.answer(ex.req, ex.res, site, ex.pathname, ex.view.secure);
      if (answer === SERVED) return;
      release = answer;
    }
    try {
      // Only a page about to be rendered spends the tenant's origin budget; hits never reach here.
      const wait = await app.originLimit.consume(site.tenant, 'render');
      if (wait > 0) return replyStatus(ex.req, ex.res, 'SiteRateLimited', { ...ex.extra, 'Retry-After': String(wait) });
      await render(ex, { site, secure: ex.view.secure, cacheable });
    } finally {
      release?.();
    }
  }

  async function render(ex: Exchange, front: FrontDecision): Promise<void> {
    // Whatever Astro's adapter answers by itself (its own errors) still carries these; a preview's
    // leave out X-Frame-Options, which would keep the editor from framing it.
    const fallback = front.preview ? previewSecurityHeaders(null, front.preview.adminOrigin, false) : PLAIN_SECURITY_HEADERS;
    for (const [name, value] of Object.entries(fallback)) ex.res.setHeader(name, value);
    await astro(ex.req, ex.res, (error) => {
      if (error) app.logger.error({ err: error }, 'unhandled request error');
      if (!ex.res.headersSent) replyStatus(ex.req, ex.res, error ? 'Internal' : 'PageNotFound', ex.extra);
    }, { mosaic: app, front });
  }

  async function contactForm(ex: Exchange, site: ResolvedSite): Promise<void> {
    const length = header(ex.req, 'content-length');
    const answer = await receiveContactForm(app, {
      tenant: site.tenant,
      host: site.host,
      origin: header(ex.req, 'origin'),
      contentType: header(ex.req, 'content-type'),
      declaredLength: length === null ? null : Number(length),
      client: ex.view.client,
      readBody: formReads((limit) => readNodeBody(ex.req, limit, FORM_READ_DEADLINE_MS)),
    });
    if (answer.kind === 'redirect') {
      ex.res.writeHead(303, { ...PLAIN_SECURITY_HEADERS, ...ex.extra, 'Cache-Control': 'no-store', Location: answer.location });
      ex.res.end();
      return;
    }
    // A refused body may be unread: the connection closes instead of reading the rest.
    lingerAfterRefusal(ex.req);
    replyStatus(ex.req, ex.res, answer.error, { ...ex.extra, ...answer.headers, Connection: 'close' });
  }

  function answer(ex: Exchange, handler: Extract<SiteHandler, { tenant: true }>, resolution: SiteResolution): void | Promise<void> {
    switch (resolution.kind) {
      case 'no-site':
        return replyStatus(ex.req, ex.res, 'SiteNotFound', ex.extra);
      case 'suspended':
        return replyStatus(ex.req, ex.res, 'SiteSuspended', { ...ex.extra, 'Retry-After': '3600' });
      case 'gone':
        return replyStatus(ex.req, ex.res, 'SiteGone', ex.extra);
      case 'redirect':
        ex.res.writeHead(301, { ...PLAIN_SECURITY_HEADERS, ...ex.extra, Location: resolution.location, 'Cache-Control': 'public, max-age=3600' });
        ex.res.end();
        return;
      case 'site':
        return handler.serve(ex, resolution);
    }
  }

  /** Hosts whose site this process holds fresh in memory are answered without waiting (see `createKnownSites`). */
  return function serveSite(ex: Exchange, route: SiteRoute, host: string): void | Promise<void> {
    const handler = handlers[route];
    if (!handler.tenant) return handler.serve(ex);
    const override = allowOverride ? tenantOverride(true, () => ex.url.searchParams.get('tenant'), () => header(ex.req, 'x-mosaic-tenant')) : NO_OVERRIDE;
    if (!override.ok) return replyStatus(ex.req, ex.res, 'BadHost', ex.extra);
    const known = override.slug === null ? knownSite(host) : undefined;
    if (known) return answer(ex, handler, known);
    return resolveSite(app.repo, app.config, { host, override: override.slug, url: ex.url }).then((resolution) => answer(ex, handler, resolution));
  };
}
