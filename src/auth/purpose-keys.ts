import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What a derived key is for; one key per purpose, so a token made for one is worthless for another. */
export type KeyPurpose = 'csrf' | 'preview';

export interface PurposeKeys {
  /** HMAC-SHA-256 of `message` under the purpose's key, base64url. */
  sign(purpose: KeyPurpose, message: string): string;
  /** Constant-time check of a signature made by `sign`. */
  verify(purpose: KeyPurpose, message: string, signature: string): boolean;
}

/** Derives each purpose's key from the secret key with HKDF-SHA-256, once. */
export function createPurposeKeys(secretKey: Buffer): PurposeKeys {
  const keys = new Map<KeyPurpose, Buffer>();
  const keyFor = (purpose: KeyPurpose): Buffer => {
    let key = keys.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', secretKey, 'mosaic', `mosaic:${purpose}`, 32));
      keys.set(purpose, key);
    }
    return key;
  };
  const sign = (purpose: KeyPurpose, message: string) => createHmac('sha256', keyFor(purpose)).update(message).digest('base64url');
  return {
    sign,
    verify(purpose, message, signature) {
      const expected = Buffer.from(sign(purpose, message));
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
