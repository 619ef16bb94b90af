import type { APIContext, MiddlewareNext } from 'astro';
import type { AppServices } from '../app/app-services.ts';
import { createPageResponder, type PageResponder } from '../page-cache/page-responder.ts';
import { errorPageName, statusPage } from '../render/status-page.ts';
import { handleDevRequest } from './dev-request.ts';
import type { FrontDecision } from './resolve-site.ts';

const responders = new WeakMap<AppServices, PageResponder>();

/** The page-cache responder of this process's services (this bundle's copy of the module). */
export function responderFor(app: AppServices): PageResponder {
  let responder = responders.get(app);
  if (!responder) {
    const vary = app.config.trustProxy.kind === 'none' ? null : 'X-Forwarded-Host, X-Forwarded-Proto';
    responder = createPageResponder({ pages: app.pages, config: app.config, metrics: app.metrics, vary });
    responders.set(app, responder);
  }
  return responder;
}

/**
 * Astro's middleware. The Node front has already routed the request and resolved its site
 * (`locals.front`); this renders the page with `locals.site` set and hands it to the page cache.
 * Under `astro dev` there is no front, and `dev-request.ts` routes the same way first.
 */
export async function handleSiteRequest(app: AppServices, context: APIContext, next: MiddlewareNext): Promise<Response> {
  try {
    const front = context.locals.front;
    if (front) return await renderPage(app, context, next, front);
    return await handleDevRequest(app, context, (decision) => renderPage(app, context, next, decision));
  } catch (error) {
    app.logger.error({ err: error, path: context.url.pathname }, 'request failed');
    return statusPage(errorPageName(error));
  }
}

async function renderPage(app: AppServices, context: APIContext, next: MiddlewareNext, front: FrontDecision): Promise<Response> {
  context.locals.site = { tenant: front.site.tenant, origin: front.site.origin };
  app.metrics.pageRenders.inc();
  const rendered = await next();
  const responder = responderFor(app);
  if (!front.cacheable) return responder.uncached(rendered, front.secure);
  return responder.store(front.site, context.url.pathname, context.request, rendered, context.locals.pageMaxAgeSeconds, front.secure);
}
