import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const KEY_PATTERN = /^mk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * A new API key: `mk_<prefix>_<secret>`. The prefix is visible (lists, audit records); the secret
 * is 32 random bytes and only its SHA-256 is stored. A fast hash is enough: unlike a password, the
 * secret has 256 bits of entropy, so nobody can guess it from its hash, and verifying a key on
 * every API call must not cost scrypt's 100 ms.
 */
export function newApiKey(): { key: string; prefix: string; secretHash: string } {
  const bytes = randomBytes(12);
  const prefix = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
  const secret = randomBytes(32).toString('base64url');
  return { key: `mk_${prefix}_${secret}`, prefix, secretHash: hashApiKeySecret(secret) };
}

/** Splits a presented key; null for anything that is not shaped like one. */
export function parseApiKey(key: string): { prefix: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1]!, secret: match[2]! } : null;
}

export const hashApiKeySecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
