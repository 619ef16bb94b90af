import type { MiddlewareHandler } from 'hono';
import type { Auth } from '../auth/create-auth.ts';
import { MosaicError } from '../errors/catalog.ts';
import type { ApiEnv } from './api-env.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * State-changing calls made with the session cookie must come from the admin's own origin and
 * carry the session's CSRF token (`X-CSRF-Token`); calls with an API key carry no cookie and are
 * not checked. Anonymous calls (sign-in, password reset, accepting an invitation) are refused when
 * the browser says they come from another site, so no other site can sign a visitor in.
 */
export function csrf(auth: Pick<Auth, 'csrfAllowed' | 'adminOrigin'>): MiddlewareHandler<ApiEnv> {
  return async function checkCsrf(c, next) {
    const caller = c.get('caller');
    if (SAFE_METHODS.has(c.req.method) || caller?.via === 'api-key') return next();
    const origin = c.req.header('origin') ?? null;
    const secFetchSite = c.req.header('sec-fetch-site') ?? null;
    const allowed = caller?.sessionId
      ? auth.csrfAllowed({ sessionId: caller.sessionId, origin, secFetchSite, csrfToken: c.req.header('x-csrf-token') ?? null })
      : (origin === null || origin === auth.adminOrigin) && (secFetchSite === null || secFetchSite === 'same-origin' || secFetchSite === 'none');
    if (!allowed) throw new MosaicError('CrossSiteRequest');
    await next();
  };
}
