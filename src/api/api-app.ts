import { OpenAPIHono, z } from '@hono/zod-openapi';
import { SESSION_COOKIE } from '../auth/session-auth.ts';
import { MosaicError } from '../errors/catalog.ts';
import { allowedMethods } from './allowed-methods.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { authenticate } from './authenticate.ts';
import { csrf } from './csrf.ts';
import { invalidInput, problemFor, problemResponse } from './problem.ts';
import { rateLimit, siteBudget } from './rate-limit.ts';
import { REFERENCE_PAGE_HEADERS, referencePage } from './reference-page.ts';
import { RESOURCES } from './resources.ts';
import { PROBLEM_RESPONSES, publicRoute } from './route.ts';

export const API_BASE = '/api/v1';

export type ApiApp = OpenAPIHono<ApiEnv>;

const documentRoute = publicRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  tags: ['Reference'],
  summary: 'This API, as an OpenAPI 3.1 document',
  responses: { 200: { description: 'The document.', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } }, ...PROBLEM_RESPONSES },
});

const referenceRoute = publicRoute({
  method: 'get',
  path: '/docs',
  operationId: 'getReference',
  tags: ['Reference'],
  summary: 'This API, as a readable page',
  responses: { 200: { description: 'An HTML page.', content: { 'text/html': { schema: z.string() } } }, ...PROBLEM_RESPONSES },
});

/**
 * The admin API under `/api/v1`: every call is authenticated (cookie or key), rate limited and
 * CSRF-checked before its route; input is validated by the route's zod schemas (the operations'
 * own), and every error is answered as a problem document. The OpenAPI document is generated
 * from the same routes.
 */
export function createApiApp(deps: ApiDeps): ApiApp {
  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidInput(result.error.issues);
    },
  });
  app.use(`${API_BASE}/*`, authenticate(deps.auth), rateLimit(deps.rateLimit), csrf(deps.auth));
  app.use(`${API_BASE}/tenants/:tenant/*`, siteBudget(deps.originLimit, deps.tenantBySlug));
  app.use(`${API_BASE}/*`, async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  for (const resource of RESOURCES) app.route(API_BASE, resource(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The cookie `POST /api/v1/session` sets. State-changing calls also need `X-CSRF-Token` and a same-origin `Origin`.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (`mk_<prefix>_<secret>`), scoped to one site and role, or platform-wide.',
  });
  const reference = new OpenAPIHono<ApiEnv>();
  reference.openapi(documentRoute, (c) => c.json(openApiDocument(app, deps.auth.adminOrigin), 200));
  reference.openapi(referenceRoute, (c) => c.html(referencePage(openApiDocument(app, deps.auth.adminOrigin)), 200, REFERENCE_PAGE_HEADERS));
  app.route(API_BASE, reference);

  const methodsFor = allowedMethods(app);
  app.notFound((c) => {
    const allow = methodsFor(c.req.path);
    if (allow.length === 0) return problemResponse(problemFor(new MosaicError('NotFound', 'There is no such API route.')));
    return problemResponse(problemFor(new MosaicError('MethodNotAllowed')), { Allow: allow.join(', ') });
  });
  app.onError((error) => {
    const problem = problemFor(error, deps.retryAfterSeconds);
    if (problem.status === 503) deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'admin API call refused: the database is unavailable or busy');
    else if (problem.status >= 500) deps.logger.error({ err: error }, 'admin API error');
    return problemResponse(problem);
  });
  return app;
}

const documents = new WeakMap<ApiApp, ReturnType<ApiApp['getOpenAPI31Document']>>();

/** The OpenAPI 3.1 document of the app's routes; built once. */
export function openApiDocument(app: ApiApp, serverUrl: string) {
  let document = documents.get(app);
  if (!document) {
    document = app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Mosaic admin API',
        version: '1',
        description: 'Sites, members, API keys, pages, themes, posts, messages and the audit trail of a Mosaic platform.',
      },
      servers: [{ url: serverUrl }],
    });
    documents.set(app, document);
  }
  return document;
}
