import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newApiKey, parseApiKey } from '../../src/auth/api-key-secret.ts';
import { hashPassword, isPasswordHash, needsRehash, verifyPassword } from '../../src/auth/password-hash.ts';
import { passwordIssues } from '../../src/auth/password-policy.ts';
import { createPurposeKeys } from '../../src/auth/purpose-keys.ts';
import { resolveSecretKey, secretKeyFile } from '../../src/auth/secret-key.ts';
import { hashToken, newToken, sameDigest } from '../../src/auth/tokens.ts';
import { ConfigError, loadConfig } from '../../src/config/config.ts';

describe('password hashes', () => {
  test('scrypt with its parameters in a PHC-style string; verifies the password and nothing else', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(isPasswordHash(hash)).toBe(true);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(
      await verifyPassword(
        'correct horse battery',
        hash.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
      ),
    ).toBe(false);
    // Two hashes of one password differ (random salt).
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
  });

  test('a hash made with weaker parameters still verifies and asks to be redone', async () => {
    const weak = await hashPassword('correct horse battery', { ln: 12, r: 8, p: 1 });
    expect(await verifyPassword('correct horse battery', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(await hashPassword('x'.repeat(12)))).toBe(false);
  });

  test('malformed or hostile strings never verify (and never ask for gigabytes)', async () => {
    for (const stored of [
      '',
      'plain',
      '$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '$argon2id$v=19$...',
    ]) {
      expect(await verifyPassword('anything', stored), stored).toBe(false);
      expect(needsRehash(stored)).toBe(true);
    }
  });

  test('the policy: 10 to 256 characters, not the email address', () => {
    expect(passwordIssues('short', 'a@b.test')).toEqual([{ path: 'password', message: 'must be at least 10 characters' }]);
    expect(passwordIssues('x'.repeat(257), 'a@b.test')[0]?.message).toBe('must be at most 256 characters');
    expect(passwordIssues('Someone@Example.test', 'someone@example.test')).toEqual([{ path: 'password', message: 'must not be the email address' }]);
    expect(passwordIssues('long enough password', 'a@b.test')).toEqual([]);
  });
});

describe('tokens and keys', () => {
  test('tokens are 32 random bytes; only their SHA-256 is stored', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(sameDigest(hashToken(token), hashToken(token))).toBe(true);
    expect(sameDigest(hashToken(token), hashToken(newToken()))).toBe(false);
    expect(sameDigest('', '')).toBe(false);
  });

  test('API keys look like mk_<prefix>_<secret> and parse back; anything else is refused', () => {
    const { key, prefix, secretHash } = newApiKey();
    expect(key).toMatch(/^mk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(key)).toEqual({ prefix, secret: key.slice(16) });
    expect(secretHash).not.toContain(key.slice(16));
    for (const bad of ['', 'mk_', `mk_${prefix}`, `xk_${key.slice(3)}`, `${key}x`, key.replace('mk_', 'MK_')])
      expect(parseApiKey(bad), bad).toBeNull();
  });

  test('purpose keys: HKDF per purpose, so a signature for one purpose fails for another', () => {
    const keys = createPurposeKeys(Buffer.from('k'.repeat(32)));
    const signature = keys.sign('csrf', 'session-1');
    expect(keys.verify('csrf', 'session-1', signature)).toBe(true);
    expect(keys.verify('preview', 'session-1', signature)).toBe(false);
    expect(keys.verify('csrf', 'session-2', signature)).toBe(false);
    expect(createPurposeKeys(Buffer.from('j'.repeat(32))).verify('csrf', 'session-1', signature)).toBe(false);
  });
});

describe('the secret key', () => {
  let dir: string;
  const warnings: string[] = [];
  const logger = { warn: (_: object, msg: string) => void warnings.push(msg) };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mosaic-secret-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('SECRET_KEY must be at least 32 bytes, and never prints', () => {
    expect(() => loadConfig({ SECRET_KEY: 'too short' })).toThrow(/SECRET_KEY: must be at least 32 bytes/);
    const config = loadConfig({ SECRET_KEY: 's'.repeat(32), SMTP_URL: 'smtp://user:pass@mail.test:587' });
    expect(config.accounts.secretKey?.reveal()).toBe('s'.repeat(32));
    const printed = `${JSON.stringify(config)} ${inspect(config, { depth: 5 })} ${String(config.accounts.secretKey)}`;
    expect(printed).not.toContain('s'.repeat(32));
    expect(printed).not.toContain('pass@');
  });

  test('with PostgreSQL in production it is required, with a clear message', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://mosaic_app@db/mosaic', NODE_ENV: 'production' });
    const error = await resolveSecretKey(config, logger).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/SECRET_KEY is required with DATABASE_URL in production/);
    // In-process contexts that are not the server entry (tests, tools) get a key of their own and a warning.
    expect((await resolveSecretKey(config, logger, { strict: false })).length).toBeGreaterThanOrEqual(32);
    expect(warnings.some((w) => w.startsWith('SECRET_KEY is not set'))).toBe(true);
    const set = loadConfig({ DATABASE_URL: 'postgres://mosaic_app@db/mosaic', SECRET_KEY: 'k'.repeat(40) });
    expect((await resolveSecretKey(set, logger)).toString()).toBe('k'.repeat(40));
  });

  test('the embedded database keeps a generated key beside it, mode 600, the same at every start', async () => {
    const config = loadConfig({ PGLITE_DIR: path.join(dir, 'pglite') });
    const [first, concurrent] = await Promise.all([resolveSecretKey(config, logger), resolveSecretKey(config, logger)]);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(concurrent.equals(first)).toBe(true);
    const file = secretKeyFile(path.join(dir, 'pglite'));
    expect(file).toBe(path.join(dir, 'secret-key'));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await resolveSecretKey(config, logger)).equals(first)).toBe(true);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.toString());
    await writeFile(file, 'short\n');
    await expect(resolveSecretKey(config, logger)).rejects.toThrow(/shorter than 32 bytes/);
  });

  test('PostgreSQL outside production without a key: a key for this process, and a warning', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://mosaic_app@db/mosaic', NODE_ENV: 'test' });
    const a = await resolveSecretKey(config, logger);
    const b = await resolveSecretKey(config, logger);
    expect(a.equals(b)).toBe(false);
    expect(warnings.some((w) => w.startsWith('SECRET_KEY is not set'))).toBe(true);
  });
});
