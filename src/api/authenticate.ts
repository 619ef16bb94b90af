import { getCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import type { Auth } from '../auth/create-auth.ts';
import { SESSION_COOKIE } from '../auth/session-auth.ts';
import { MosaicError } from '../errors/catalog.ts';
import type { ApiEnv, Caller, SignedInEnv } from './api-env.ts';

/**
 * Finds the caller: `Authorization: Bearer <api key>` when present (a key that is not valid is
 * `Unauthorized`, never a fallback to the cookie), otherwise the session cookie. A request with
 * neither goes on anonymous; the routes that need a caller are behind `signedIn`.
 */
export function authenticate(auth: Auth): MiddlewareHandler<ApiEnv> {
  return async function authenticateCaller(c, next) {
    const authorization = c.req.header('authorization');
    let caller: Caller | null = null;
    if (authorization !== undefined) {
      const actor = await auth.authenticateApiKey(authorization);
      if (!actor) throw new MosaicError('Unauthorized', 'The API key is not valid, or it was revoked or has expired.');
      caller = { actor, via: 'api-key', sessionId: null };
    } else {
      const session = await auth.authenticateSession(getCookie(c, SESSION_COOKIE));
      if (session) caller = { actor: session.actor, via: 'session', sessionId: session.sessionId };
    }
    c.set('caller', caller);
    c.set('context', caller ? auth.context(caller.actor, c.env.clientAddress) : null);
    await next();
  };
}

/** Refuses anonymous calls (`401`); after it, handlers see a caller and an operation context. */
export const signedIn: MiddlewareHandler<SignedInEnv> = async function requireCaller(c, next) {
  if (!c.get('caller')) throw new MosaicError('Unauthorized');
  await next();
};
