import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: what goes into a cookie or a link. Only its hash is stored. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** How tokens look: anything else is refused before any lookup. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** SHA-256 of a token, hex: the stored form (a session's id, an invitation's or a reset's token hash). */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Constant-time equality of two hex digests of the same length. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
