import type { APIContext, MiddlewareNext } from 'astro';
import type { AppServices } from '../app/app-services.ts';
import { CONTACT_PATH, handleContactPost } from '../forms/contact-route.ts';
import { withSecurityHeaders } from '../render/security-headers.ts';
import { statusPage } from '../render/status-page.ts';
import { resolveSite } from './resolve-site.ts';

/**
 * Host → tenant for every request Astro handles. Requests that reach no site are answered here
 * with plain pages; the rest continue with `locals.site` set.
 */
export async function handleSiteRequest(app: AppServices, context: APIContext, next: MiddlewareNext): Promise<Response> {
  try {
    const resolution = await resolveSite(app.repo, app.config, { headers: context.request.headers, url: context.url });
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
          return withSecurityHeaders(await handleContactPost(app, resolution.tenant, context.request));
        }
        context.locals.site = { tenant: resolution.tenant, origin: resolution.origin };
        return withSecurityHeaders(await next());
    }
  } catch (error) {
    app.logger.error({ err: error, path: context.url.pathname }, 'request failed');
    return statusPage('Internal');
  }
}
