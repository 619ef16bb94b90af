import type { APIContext } from 'astro';
import { apiAppOf, REFUSED_READS } from '../api/api-requests.ts';
import { bodyLimitFor } from '../api/body-limits.ts';
import { problemFor, problemResponse } from '../api/problem.ts';
import type { AppServices } from '../app/app-services.ts';
import { MosaicError } from '../errors/catalog.ts';
import { receiveContactForm } from '../forms/contact-route.ts';
import { tenantOverride } from '../host/request-host.ts';
import { isCacheableRequest } from '../page-cache/cached-page.ts';
import { PLAIN_SECURITY_HEADERS } from '../render/security-headers.ts';
import { statusPage } from '../render/status-page.ts';
import { decideRoute } from './decide-route.ts';
import { createForwardedReader } from './forwarded.ts';
import { readWebBody } from './read-body.ts';
import { resolveSite, type FrontDecision } from './resolve-site.ts';

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { ...PLAIN_SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

/**
 * Under `astro dev` no Node front runs: this routes a request with the same decision
 * (`decideRoute`, `resolveSite`) and answers what the front would, then renders pages through
 * `render`. Vite serves static files itself, before any middleware.
 */
export async function handleDevRequest(
  app: AppServices,
  context: APIContext,
  render: { page: (front: FrontDecision) => Promise<Response>; editor: () => Promise<Response> },
): Promise<Response> {
  const { request, url } = context;
  const view = createForwardedReader(app.config.trustProxy).read({
    remoteAddress: clientAddress(context),
    forwardedFor: request.headers.get('x-forwarded-for') ?? undefined,
    forwardedHost: request.headers.get('x-forwarded-host') ?? undefined,
    forwardedProto: request.headers.get('x-forwarded-proto') ?? undefined,
  });
  const decision = decideRoute(request.method, view.host ?? request.headers.get('host'), url.pathname, app.config.adminHost);
  switch (decision.kind) {
    case 'refuse':
      return statusPage(decision.error, decision.allow ? { Allow: decision.allow } : {});
    case 'admin':
      if (decision.route === 'api') return answerApi(app, request, view.client);
      if (decision.route === 'editor') return withoutPolicy(await render.editor());
      // Vite serves build assets itself, before any middleware.
      if (decision.route === 'build-asset') return statusPage('PageNotFound');
      return health(app, decision.route);
    case 'internal':
      return health(app, decision.route);
    case 'site':
      break;
  }
  if (decision.route === 'build-asset') return statusPage('PageNotFound');
  // Draft previews are served by the Node front only (they need the signing key and no page cache).
  if (decision.route === 'reserved' || decision.route === 'preview') return statusPage('PageNotFound');
  const override = tenantOverride(app.config.allowTenantOverride, () => url.searchParams.get('tenant'), () => request.headers.get('x-mosaic-tenant'));
  if (!override.ok) return statusPage('BadHost');
  const site = await resolveSite(app.repo, app.config, { host: decision.host, override: override.slug, url });
  switch (site.kind) {
    case 'no-site':
      return statusPage('SiteNotFound');
    case 'suspended':
      return statusPage('SiteSuspended', { 'Retry-After': '3600' });
    case 'gone':
      return statusPage('SiteGone');
    case 'redirect':
      return new Response(null, { status: 301, headers: { ...PLAIN_SECURITY_HEADERS, Location: site.location, 'Cache-Control': 'public, max-age=3600' } });
    case 'site':
      break;
  }
  if (decision.route === 'tenant-asset') return statusPage('PageNotFound');
  if (decision.route === 'contact-form') {
    const length = request.headers.get('content-length');
    const answer = await receiveContactForm(app, {
      tenant: site.tenant,
      host: site.host,
      origin: request.headers.get('origin'),
      contentType: request.headers.get('content-type'),
      declaredLength: length === null ? null : Number(length),
      client: view.client,
      readBody: (limit) => readWebBody(request.body, limit),
    });
    if (answer.kind === 'redirect') return new Response(null, { status: 303, headers: { ...PLAIN_SECURITY_HEADERS, 'Cache-Control': 'no-store', Location: answer.location } });
    return statusPage(answer.error, answer.headers);
  }
  return withoutPolicy(await render.page({ site, secure: view.secure, cacheable: isCacheableRequest(request.method, url.search) }));
}

function health(app: AppServices, route: 'healthz' | 'readyz' | 'metrics'): Response | Promise<Response> {
  if (route !== 'readyz') return text(200, 'ok');
  return app.checkReady().then(() => text(200, 'ready'), () => text(503, 'not ready'));
}

// Astro computes no script hashes under `astro dev`, so a policy would block the islands there.
function withoutPolicy(page: Response): Response {
  page.headers.delete('Content-Security-Policy');
  return page;
}

/** The admin API as the front hands it requests: the body read once, within the same limit. */
async function answerApi(app: AppServices, request: Request, client: string): Promise<Response> {
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const read = await readWebBody(request.body, bodyLimitFor(request.method, new URL(request.url).pathname).limit);
    if (!read.ok) return problemResponse(problemFor(new MosaicError(REFUSED_READS[read.reason])));
    body = read.body.length ? new Uint8Array(read.body) : undefined;
  }
  const response = await apiAppOf(app).fetch(new Request(request.url, { method: request.method, headers: request.headers, body }), { clientAddress: client });
  for (const [name, value] of Object.entries(PLAIN_SECURITY_HEADERS)) if (!response.headers.has(name)) response.headers.set(name, value);
  return response;
}

function clientAddress(context: APIContext): string | undefined {
  try {
    return context.clientAddress;
  } catch {
    return undefined;
  }
}
