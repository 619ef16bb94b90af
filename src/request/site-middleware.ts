import type { APIContext, MiddlewareNext } from 'astro';
import type { AppServices } from '../app/app-services.ts';
import { createPageResponder, type PageResponder } from '../page-cache/page-responder.ts';
import { failurePage } from '../render/failure-page.ts';
import { editorSecurityHeaders, HSTS, previewSecurityHeaders } from '../render/security-headers.ts';
import { handleDevRequest } from './dev-request.ts';
import type { FrontDecision } from './resolve-site.ts';
import { bytesResponse, declaredLength, readPageBytes } from '../page-cache/page-bytes.ts';

/** The Astro page of the editor (`src/pages/-/editor.astro`); no tenant page path can start with `-`. */
export const EDITOR_PAGE_PATH = '/-/editor';

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
    if (context.locals.editor) return await renderEditor(app, next, context.locals.editor.secure);
    return await handleDevRequest(app, context, {
      page: (decision) => renderPage(app, context, next, decision),
      editor: () => {
        context.locals.editor = { secure: false };
        return renderEditor(app, next, false);
      },
    });
  } catch (error) {
    // Database down or slow, or load shed: 503 + Retry-After; a refusal from the catalog: its page; else 500.
    return failurePage(app, error, context.url.pathname);
  }
}

async function renderPage(app: AppServices, context: APIContext, next: MiddlewareNext, front: FrontDecision): Promise<Response> {
  context.locals.site = { tenant: front.site.tenant, origin: front.site.origin };
  app.metrics.pageRenders.inc();
  // Renders are bounded in number, queue and time (503 beyond); a render that outlived its deadline is not cached.
  return app.renders.run(async (expired) => {
    const rendered = await next();
    const responder = responderFor(app);
    if (front.preview) return previewAnswer(responder.uncached(rendered, front.secure), front.preview.adminOrigin);
    if (!front.cacheable || expired()) return readWhole(responder.uncached(rendered, front.secure));
    return responder.store(front.site, context.url.pathname, context.request, rendered, context.locals.pageMaxAgeSeconds, front.secure, front.awaitShared);
  });
}

/**
 * The answer with its body read to the end, inside the render gate. Pages are not streamed today
 * (astro.config.mjs), so this is one chunk kept as it is; if streaming came back, a render handed
 * on as a stream would leave the gate after its first bytes and the gate would bound nothing.
 */
async function readWhole(response: Response): Promise<Response> {
  if (!response.body) return response;
  const bytes = await readPageBytes(response.body, declaredLength(response.headers));
  return bytesResponse(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The editor page: Astro's hashes for its island, no caching anywhere, never framed. */
async function renderEditor(app: AppServices, next: MiddlewareNext, secure: boolean): Promise<Response> {
  // Every admin path is the one editor page; its own route keeps its scripts and styles off the sites' pages.
  const page = await next(EDITOR_PAGE_PATH);
  const headers = editorSecurityHeaders(page.headers.get('content-security-policy'), app.config);
  for (const [name, value] of Object.entries(secure ? { ...headers, ...HSTS } : headers)) page.headers.set(name, value);
  return page;
}

/** A rendered draft: the page's own script and style hashes, framable by the admin only, never indexed or stored. */
function previewAnswer(page: Response, adminOrigin: string): Response {
  const html = (page.headers.get('content-type') ?? '').startsWith('text/html');
  for (const [name, value] of Object.entries(previewSecurityHeaders(page.headers.get('content-security-policy'), adminOrigin, html))) page.headers.set(name, value);
  page.headers.delete('X-Frame-Options');
  return page;
}
