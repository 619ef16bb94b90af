import type { PurposeKeys } from './purpose-keys.ts';

/** The CSRF token of a session: an HMAC of its id, so it needs no storage and dies with the session. */
export const csrfTokenFor = (keys: PurposeKeys, sessionId: string): string => keys.sign('csrf', sessionId);

export interface CsrfCheck {
  sessionId: string;
  /** The request's `Origin` header, if any. */
  origin: string | null;
  /** The request's `Sec-Fetch-Site` header, if any. */
  secFetchSite: string | null;
  /** The request's `X-CSRF-Token` header, if any. */
  csrfToken: string | null;
  /** The admin's own origin, e.g. `https://admin.example.com`. */
  adminOrigin: string;
}

/**
 * A state-changing request authenticated by the session cookie must come from the admin itself
 * (a same-origin `Origin`, or `Sec-Fetch-Site: same-origin` when the browser sends no Origin)
 * and carry the session's CSRF token. Requests with an API key carry no cookie and skip this.
 */
export function csrfAllowed(keys: PurposeKeys, check: CsrfCheck): boolean {
  const sameOrigin = check.origin !== null ? check.origin === check.adminOrigin : check.secFetchSite === 'same-origin';
  if (!sameOrigin || !check.csrfToken) return false;
  return keys.verify('csrf', check.sessionId, check.csrfToken);
}
