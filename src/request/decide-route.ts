import type { ErrorName } from '../errors/catalog.ts';
import { classifyHost } from '../host/host-kind.ts';
import { KNOWN_METHODS } from './request-target.ts';
import type { RouteMatch } from './route-table.ts';
import { adminRoutes, internalRoutes, siteRoutes, type AdminRoute, type InternalRoute, type SiteRoute } from './routes.ts';

/** Where a request goes, or why it is refused, before anything is loaded for it. */
export type RouteDecision =
  | { kind: 'refuse'; error: ErrorName; allow: string | null; reason: string }
  | { kind: 'internal'; route: InternalRoute }
  | { kind: 'admin'; route: AdminRoute }
  | { kind: 'site'; route: SiteRoute; host: string };

/**
 * Method, then host kind, then that kind's route table. `host` is the raw host value the request
 * is for (`Host`, or a trusted proxy's `X-Forwarded-Host`). Shared by the Node front and by the
 * Astro middleware under `astro dev`, so both route alike. Never throws.
 */
export function decideRoute(method: string, host: string | null, pathname: string, adminHost: string): RouteDecision {
  if (!KNOWN_METHODS.has(method)) return refuse('NotImplemented', `method ${method.slice(0, 20)} is not supported`);
  const kind = classifyHost(host, adminHost);
  switch (kind.kind) {
    case 'bad':
      return refuse('BadHost', kind.reason);
    case 'internal': {
      const match = internalRoutes(method, pathname);
      return match.found ? { kind: 'internal', route: match.handler } : refused(match);
    }
    case 'admin': {
      const match = adminRoutes(method, pathname);
      return match.found ? { kind: 'admin', route: match.handler } : refused(match);
    }
    case 'site': {
      const match = siteRoutes(method, pathname);
      return match.found ? { kind: 'site', route: match.handler, host: kind.host } : refused(match);
    }
  }
}

function refused(match: Exclude<RouteMatch<unknown>, { found: true }>): RouteDecision {
  return match.status === 405
    ? { kind: 'refuse', error: 'MethodNotAllowed', allow: match.allow, reason: 'method not allowed here' }
    : refuse('PageNotFound', 'no such route');
}

const refuse = (error: ErrorName, reason: string): RouteDecision => ({ kind: 'refuse', error, allow: null, reason });
