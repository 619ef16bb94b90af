import { CONTACT_PATH } from '../forms/contact-route.ts';
import { createRouteTable } from './route-table.ts';

const GET_HEAD = ['GET', 'HEAD'] as const;

/** What a tenant's host answers. Paths under `/_mosaic/` belong to Mosaic, never to a page. */
export type SiteRoute = 'build-asset' | 'tenant-asset' | 'contact-form' | 'media' | 'preview' | 'reserved' | 'sitemap' | 'robots' | 'page';
export const siteRoutes = createRouteTable<SiteRoute>([
  { methods: GET_HEAD, path: '/_astro/*', handler: 'build-asset' },
  { methods: GET_HEAD, path: '/brand/*', handler: 'tenant-asset' },
  { methods: ['POST'], path: CONTACT_PATH, handler: 'contact-form' },
  { methods: GET_HEAD, path: '/_mosaic/media/*', handler: 'media' },
  { methods: GET_HEAD, path: '/_mosaic/preview/*', handler: 'preview' },
  { methods: GET_HEAD, path: '/_mosaic/*', handler: 'reserved' },
  { methods: GET_HEAD, path: '/sitemap.xml', handler: 'sitemap' },
  { methods: GET_HEAD, path: '/robots.txt', handler: 'robots' },
  // The editor's own Astro page (admin host only); no tenant path starts with `-`.
  { methods: GET_HEAD, path: '/-/*', handler: 'reserved' },
  { methods: GET_HEAD, path: '/*', handler: 'page' },
]);

/** What the admin host answers: health checks, the admin API (`src/api`), build assets and the editor (`src/editor`). */
export type AdminRoute = 'healthz' | 'readyz' | 'api' | 'build-asset' | 'editor';
export const adminRoutes = createRouteTable<AdminRoute>([
  { methods: GET_HEAD, path: '/healthz', handler: 'healthz' },
  { methods: GET_HEAD, path: '/readyz', handler: 'readyz' },
  { methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], path: '/api/v1/*', handler: 'api' },
  { methods: GET_HEAD, path: '/_astro/*', handler: 'build-asset' },
  // The editor's screens (`src/editor/screens.ts`, routed in the browser): sign-in, the links
  // emails carry, the site list and every site's screens.
  ...['/', '/sign-in', '/accept-invitation', '/reset-password', '/sites/*'].map((path) => ({ methods: GET_HEAD, path, handler: 'editor' as const })),
]);

/** An IP-literal host on the main port: load balancers and container health checks. */
export type InternalRoute = 'healthz' | 'readyz' | 'metrics';
export const internalRoutes = createRouteTable<InternalRoute>([
  { methods: GET_HEAD, path: '/healthz', handler: 'healthz' },
  { methods: GET_HEAD, path: '/readyz', handler: 'readyz' },
]);

/** The internal listener (INTERNAL_PORT), which no tenant's host reaches; Caddy's on-demand TLS asks here. */
export type InternalListenerRoute = InternalRoute | 'tls-ask';
export const internalListenerRoutes = createRouteTable<InternalListenerRoute>([
  { methods: GET_HEAD, path: '/tls/ask', handler: 'tls-ask' },
  { methods: GET_HEAD, path: '/metrics', handler: 'metrics' },
  { methods: GET_HEAD, path: '/healthz', handler: 'healthz' },
  { methods: GET_HEAD, path: '/readyz', handler: 'readyz' },
]);
