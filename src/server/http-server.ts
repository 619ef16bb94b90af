import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AppServices } from '../app/app-services.ts';
import { readinessAnswer } from '../app/readiness.ts';
import { isCacheableRequest } from '../page-cache/cached-page.ts';
import { resolveSite, type SiteResolution } from '../request/resolve-site.ts';
import { serveCachedPage } from './serve-cached-page.ts';
import { createStaticHandler } from './static-files.ts';

/** Astro's middleware-mode handler, as exported by the built `dist/server/entry.mjs`. */
export type AstroHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
  locals: Record<string, unknown>,
) => Promise<void>;

/**
 * The thin Node front. Health checks, static files and page-cache hits are answered here, without
 * Astro; everything else goes to Astro with the process's services (and the host's resolution,
 * so it is not worked out twice) in `locals`.
 */
export function createHttpServer(app: AppServices, astro: AstroHandler, clientDir: string): http.Server {
  const serveStatic = createStaticHandler(clientDir);
  return http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://front.invalid');
      if (url.pathname === '/healthz') return plain(res, 200, 'ok');
      if (url.pathname === '/readyz') return await ready(app, res);
      if (url.pathname.startsWith('/_astro/') || url.pathname.startsWith('/brand/')) {
        if (await serveStatic(req, res)) return;
      }
      const locals: Record<string, unknown> = { mosaic: app };
      let finishRender: (() => void) | null = null;
      if (isCacheableRequest(req.method ?? 'GET', url)) {
        const resolution = await resolveSite(app.repo, app.config, { headers: nodeHeaders(req), url }).catch(() => null);
        if (resolution) locals.resolution = resolution;
        const cached = await answerFromCache(app, req, res, url, resolution);
        if (cached === true) return;
        finishRender = cached;
      } else if (await serveStatic(req, res)) {
        return;
      }
      try {
        await astro(req, res, (error) => {
          if (error) app.logger.error({ err: error }, 'unhandled request error');
          if (!res.headersSent) plain(res, error ? 500 : 404, error ? 'Internal error' : 'Not found');
        }, locals);
      } finally {
        finishRender?.();
      }
    } catch (error) {
      app.logger.error({ err: error }, 'request failed');
      if (!res.headersSent) plain(res, 500, 'Internal error');
      else res.destroy();
    }
  });
}

/**
 * Serves a page-cache hit (true). On a miss, waits for a render of the same page already under
 * way, or claims the render and returns the function that releases the claim.
 */
async function answerFromCache(
  app: AppServices,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  resolution: SiteResolution | null,
): Promise<true | (() => void) | null> {
  if (!app.pages || resolution?.kind !== 'site') return null;
  let page = await app.pages.get(resolution.tenant, url.pathname);
  if (!page) {
    const render = app.pages.claimRender(resolution.tenant, url.pathname);
    if (render.claimed) {
      app.metrics.pageCache.inc({ result: 'miss' });
      return render.finish;
    }
    page = await render.result;
    if (!page) return null;
  }
  app.metrics.pageCache.inc({ result: 'hit' });
  serveCachedPage(req, res, page, resolution.tenant.id, app.config.pageCache);
  return true;
}

// [resilience] Database down: 503 "not ready: …"; Redis down: 200 "degraded: redis unavailable".
async function ready(app: AppServices, res: ServerResponse): Promise<void> {
  const answer = readinessAnswer(await app.readiness());
  plain(res, answer.status, answer.body);
}

function nodeHeaders(req: IncomingMessage) {
  return {
    get(name: string): string | null {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : (value ?? null);
    },
  };
}

function plain(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}
