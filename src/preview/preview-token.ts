import type { PurposeKeys } from '../auth/purpose-keys.ts';

/** How long a preview link works: long enough to open and share with a colleague, short enough to leak little. */
export const PREVIEW_TOKEN_TTL_MS = 15 * 60_000;

/** What a preview token names: one revision of one page's draft, on one tenant's site, until a time. */
export interface PreviewClaim {
  tenantId: string;
  pageId: string;
  draftRevision: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type PreviewTokenCheck = { ok: true; claim: PreviewClaim } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PAYLOAD = new RegExp(`^p1:(${UUID}):(${UUID}):(\\d{1,10}):(\\d{1,15})$`);
// base64url of the payload (at most ~110 bytes), a dot, and a base64url HMAC-SHA-256.
const TOKEN = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{43})$/;

/**
 * A signed, self-contained token (no table): the claim in base64url and its HMAC under the
 * `preview` key derived from SECRET_KEY. It carries no session and grants nothing but reading
 * that one draft revision, so it can sit in an iframe's URL on the tenant's own host.
 */
export function signPreviewToken(keys: PurposeKeys, claim: PreviewClaim): string {
  const payload = `p1:${claim.tenantId}:${claim.pageId}:${claim.draftRevision}:${claim.expiresAt}`;
  return `${Buffer.from(payload).toString('base64url')}.${keys.sign('preview', payload)}`;
}

/** Checks shape, then signature (constant time), then expiry. Never throws. */
export function readPreviewToken(keys: PurposeKeys, token: string, now: Date): PreviewTokenCheck {
  const parts = TOKEN.exec(token);
  if (!parts) return { ok: false, reason: 'malformed' };
  const payload = Buffer.from(parts[1]!, 'base64url').toString('utf8');
  const fields = PAYLOAD.exec(payload);
  if (!fields) return { ok: false, reason: 'malformed' };
  if (!keys.verify('preview', payload, parts[2]!)) return { ok: false, reason: 'forged' };
  const claim: PreviewClaim = { tenantId: fields[1]!, pageId: fields[2]!, draftRevision: Number(fields[3]), expiresAt: Number(fields[4]) };
  if (claim.expiresAt <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claim };
}

/** Where a preview opens: on the tenant's own site, never on the admin host. */
export const PREVIEW_PREFIX = '/_mosaic/preview/';
export const previewPath = (token: string): string => `${PREVIEW_PREFIX}${token}`;
