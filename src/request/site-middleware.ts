import type { APIContext, MiddlewareNext } from 'astro';
import type { AppServices } from '../app/app-services.ts';
import { CONTACT_PATH, handleContactPost } from '../forms/contact-route.ts';
import { cachedPage, isCacheableRequest, isNotModified, pageHeaders } from '../page-cache/cached-page.ts';
import { failurePage } from '../render/failure-page.ts';
import { withSecurityHeaders } from '../render/security-headers.ts';
import { statusPage } from '../render/status-page.ts';
import type { TenantRecord } from '../site/site-types.ts';
import { resolveSite, type SiteResolution } from './resolve-site.ts';

/**
 * Host → tenant for every request Astro handles. Requests that reach no site are answered here
 * with plain pages; pages are rendered with `locals.site` set, then stored in the page cache.
 */
export async function handleSiteRequest(app: AppServices, context: APIContext, next: MiddlewareNext): Promise<Response> {
  try {
    const resolution =
      (context.locals as { resolution?: SiteResolution }).resolution ??
      (await resolveSite(app.repo, app.config, { headers: context.request.headers, url: context.url }));
    switch (resolution.kind) {
      case 'bad-host':
        return statusPage('BadHost');
      case 'no-site':
        return statusPage('SiteNotFound');
      case 'suspended':
        return statusPage('SiteSuspended', { 'Retry-After': '3600' });
      case 'redirect':
        return new Response(null, { status: 301, headers: { Location: resolution.location, 'Cache-Control': 'public, max-age=3600' } });
      case 'site':
        if (context.url.pathname === CONTACT_PATH) {
          return withSecurityHeaders(
            await handleContactPost(app, resolution.tenant, context.request, resolution.host, clientAddress(app, context)),
          );
        }
        context.locals.site = { tenant: resolution.tenant, origin: resolution.origin };
        app.metrics.pageRenders.inc();
        // [resilience] Renders are bounded in number, queue and time (503 beyond); a late render is not cached.
        return await app.renders.run(async (expired) => cacheRendered(app, context, resolution.tenant, await next(), expired));
    }
  } catch (error) {
    // [resilience] Database down or slow, or load shed: 503 + Retry-After; anything else: 500.
    return failurePage(app, error, context.url.pathname);
  }
}

/** The visitor's address: the socket's, or the first forwarded one behind a trusted proxy. */
function clientAddress(app: AppServices, context: APIContext): string {
  const forwarded = app.config.trustProxy ? context.request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  if (forwarded) return forwarded;
  try {
    return context.clientAddress;
  } catch {
    return 'unknown';
  }
}

/** Stores a freshly rendered page and answers with its validators (304 when the client has it). */
async function cacheRendered(app: AppServices, context: APIContext, tenant: TenantRecord, response: Response, expired: () => boolean): Promise<Response> {
  const method = context.request.method;
  const html = (response.headers.get('content-type') ?? '').startsWith('text/html');
  if (!isCacheableRequest(method, context.url) || !html || (response.status !== 200 && response.status !== 404)) {
    if (context.url.searchParams.has('contact')) response.headers.set('Cache-Control', 'no-store');
    return withSecurityHeaders(response);
  }
  // Unknown paths are remembered only briefly, so random URLs cannot crowd out real pages.
  const limit = response.status === 404 ? app.config.cache.negativeTtlMs : app.config.pageCache.ttlMs;
  const maxAgeSeconds = Math.min(context.locals.pageMaxAgeSeconds ?? Infinity, limit / 1000);
  const page = cachedPage(response.status, await response.text(), maxAgeSeconds);
  if (app.pages && !expired()) await app.pages.put(tenant, context.url.pathname, page, maxAgeSeconds * 1000);
  const headers = pageHeaders(page, tenant.id, app.config.pageCache, app.pages ? 'miss' : 'off');
  if (isNotModified(page, context.request.headers.get('if-none-match'))) return new Response(null, { status: 304, headers });
  return new Response(method === 'HEAD' ? null : page.html, { status: page.status, headers });
}
