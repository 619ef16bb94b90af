import type { Actor } from '../operations/actor.ts';
import { findSession, touchSession } from './account-lookups.ts';
import type { AuthDeps } from './auth-deps.ts';
import { hashToken, TOKEN_PATTERN } from './tokens.ts';

/** `last_seen_at` moves at most this often, so a busy session is not a write per request. */
export const TOUCH_INTERVAL_MS = 60_000;

export interface AuthenticatedSession {
  actor: Extract<Actor, { kind: 'user' }>;
  sessionId: string;
  /** When it ends if unused (sliding), and at the latest. */
  idleExpiresAt: Date;
  expiresAt: Date;
}

/**
 * The session a cookie's token names, or null: unknown, revoked, idle too long, past its absolute
 * expiry, or its account disabled (which takes effect at once). Moves `last_seen_at` forward at
 * most once a minute.
 */
export async function authenticateSession(
  deps: Pick<AuthDeps, 'db' | 'clock' | 'sessions'>,
  token: string | null | undefined,
): Promise<AuthenticatedSession | null> {
  if (!token || !TOKEN_PATTERN.test(token)) return null;
  const sessionId = hashToken(token);
  const row = await findSession(deps.db, sessionId);
  if (!row || row.revoked_at || row.disabled_at) return null;
  const now = deps.clock();
  const lastSeen = new Date(row.last_seen_at);
  const expiresAt = new Date(row.expires_at);
  const idleExpiresAt = new Date(Math.min(lastSeen.getTime() + deps.sessions.idleMs, expiresAt.getTime()));
  if (now >= idleExpiresAt) return null;
  if (now.getTime() - lastSeen.getTime() >= TOUCH_INTERVAL_MS) await touchSession(deps.db, sessionId, now);
  const seen = now.getTime() - lastSeen.getTime() >= TOUCH_INTERVAL_MS ? now : lastSeen;
  return {
    actor: { kind: 'user', userId: row.user_id, email: row.email, platformAdmin: row.platform_role === 'admin' },
    sessionId,
    idleExpiresAt: new Date(Math.min(seen.getTime() + deps.sessions.idleMs, expiresAt.getTime())),
    expiresAt,
  };
}

export const SESSION_COOKIE = 'mosaic_session';

export interface CookieSpec {
  name: string;
  value: string;
  /** Attributes as data, for a framework's cookie API; `header` is the same as one `Set-Cookie` value. */
  attributes: { httpOnly: true; secure: boolean; sameSite: 'Lax'; path: '/'; maxAge: number };
  header: string;
}

/**
 * The session cookie: httpOnly, `Secure` when the admin is served over https, `SameSite=Lax`,
 * `Path=/`, and no `Domain` (host-only: the admin host, never a tenant's). It lives as long as the
 * session's absolute expiry; `maxAgeSeconds` 0 clears it.
 */
export function sessionCookie(token: string, options: { secure: boolean; maxAgeSeconds: number }): CookieSpec {
  const maxAge = Math.max(0, Math.floor(options.maxAgeSeconds));
  const attributes = { httpOnly: true, secure: options.secure, sameSite: 'Lax', path: '/', maxAge } as const;
  const header = [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
  return { name: SESSION_COOKIE, value: token, attributes, header };
}

/** The cookie that removes the session cookie at sign-out. */
export const clearedSessionCookie = (options: { secure: boolean }): CookieSpec => sessionCookie('', { secure: options.secure, maxAgeSeconds: 0 });
