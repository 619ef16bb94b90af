import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSignInThrottle, type ThrottleLimits } from '../../src/auth/sign-in-throttle.ts';
import { isMosaicError } from '../../src/errors/catalog.ts';
import { createTestUser, uniqueEmail } from '../support/accounts.ts';
import { createTestAuth } from '../support/auth.ts';
import { openTestDatabases } from '../support/databases.ts';
import { freePort } from '../support/free-port.ts';
import { openTestRedis } from '../support/redis.ts';

const LIMITS: ThrottleLimits = {
  perEmail: { failures: 3, windowSeconds: 900 },
  perAddress: { failures: 5, windowSeconds: 3600 },
  resetsPerEmail: { requests: 2, windowSeconds: 3600 },
};

const refusal = async (promise: Promise<unknown>): Promise<{ code: string; status?: number | null; retryAfterSeconds?: unknown } | null> => {
  try {
    await promise;
    return null;
  } catch (error) {
    return isMosaicError(error)
      ? { code: error.code, status: error.status, retryAfterSeconds: error.extensions.retryAfterSeconds }
      : { code: String(error) };
  }
};

describe('sign-in throttling', () => {
  const dbs = openTestDatabases(2);
  const shared = openTestRedis();
  afterAll(async () => {
    await shared.close();
    await dbs.close();
  });

  test('per email: after the allowed failures even the right password waits; the answer says how long', async () => {
    const { auth } = createTestAuth(dbs, { limits: LIMITS });
    const user = await createTestUser(dbs.admin, { password: 'right password 1' });
    const client = { address: '203.0.113.1', userAgent: null };
    for (let i = 0; i < 3; i++)
      expect((await refusal(auth.signIn({ email: user.email, password: 'wrong password' }, client)))?.code).toBe('InvalidCredentials');
    const held = await refusal(auth.signIn({ email: user.email, password: 'right password 1' }, { ...client, address: '203.0.113.2' }));
    expect(held).toMatchObject({ code: 'RateLimited', status: 429 });
    expect(held?.retryAfterSeconds).toBeGreaterThan(800);
    expect(held?.retryAfterSeconds).toBeLessThanOrEqual(900);
  });

  test('a success clears the email’s failures; unknown emails are counted like known ones', async () => {
    const { auth } = createTestAuth(dbs, { limits: LIMITS });
    const user = await createTestUser(dbs.admin, { password: 'right password 2' });
    const client = { address: null, userAgent: null };
    for (let i = 0; i < 2; i++) await refusal(auth.signIn({ email: user.email, password: 'wrong password' }, client));
    expect(await refusal(auth.signIn({ email: user.email, password: 'right password 2' }, client))).toBeNull();
    for (let i = 0; i < 2; i++) await refusal(auth.signIn({ email: user.email, password: 'wrong password' }, client));
    expect(await refusal(auth.signIn({ email: user.email, password: 'right password 2' }, client))).toBeNull();

    const nobody = uniqueEmail('nobody');
    for (let i = 0; i < 3; i++)
      expect((await refusal(auth.signIn({ email: nobody, password: 'whatever it is' }, client)))?.code).toBe('InvalidCredentials');
    expect((await refusal(auth.signIn({ email: nobody, password: 'whatever it is' }, client)))?.code).toBe('RateLimited');
  });

  test('per address: many emails from one address are held back, other addresses are not', async () => {
    const { auth } = createTestAuth(dbs, { limits: LIMITS });
    const user = await createTestUser(dbs.admin, { password: 'right password 3' });
    const attacker = { address: '198.51.100.66', userAgent: null };
    for (let i = 0; i < 5; i++) await refusal(auth.signIn({ email: uniqueEmail('spray'), password: 'guess guess guess' }, attacker));
    expect((await refusal(auth.signIn({ email: user.email, password: 'right password 3' }, attacker)))?.code).toBe('RateLimited');
    expect(await refusal(auth.signIn({ email: user.email, password: 'right password 3' }, { address: '198.51.100.67', userAgent: null }))).toBeNull();
  });

  test('two instances share the counts through Redis', async () => {
    const prefix = `${shared.prefix}signin:`;
    const a = createSignInThrottle({ redis: shared.redis, prefix, limits: LIMITS });
    const second = shared.redis.duplicate();
    const b = createSignInThrottle({ redis: second, prefix, limits: LIMITS });
    const email = uniqueEmail('shared');
    await a.failed(email, null);
    await b.failed(email, null);
    await a.check(email, null);
    await b.failed(email, null);
    expect(await refusal(a.check(email, null))).toMatchObject({ code: 'RateLimited' });
    expect(await refusal(b.check(email, null))).toMatchObject({ code: 'RateLimited' });
    await a.succeeded(email);
    expect(await refusal(b.check(email, null))).toBeNull();
    expect((await shared.redis.keys(`${prefix}*`)).every((key) => !key.includes('@'))).toBe(true);
    await second.quit();
  });

  describe('when Redis does not answer', () => {
    let dead: Redis;
    beforeAll(async () => {
      // Nothing listens on this port: every command fails at once (no offline queue).
      dead = new Redis({ port: await freePort(), lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
      dead.on('error', () => {});
    });
    afterAll(() => dead.disconnect());

    test('the in-memory insurance limiter keeps counting', async () => {
      const throttle = createSignInThrottle({ redis: dead, prefix: 'dead:', limits: LIMITS });
      const email = uniqueEmail('insured');
      for (let i = 0; i < 3; i++) await throttle.failed(email, '192.0.2.9');
      expect(await refusal(throttle.check(email, '192.0.2.9'))).toMatchObject({ code: 'RateLimited' });
    });
  });

  test('reset mails per email are capped', async () => {
    const throttle = createSignInThrottle({ redis: null, prefix: '', limits: LIMITS });
    const email = uniqueEmail('reset');
    expect([await throttle.allowReset(email), await throttle.allowReset(email), await throttle.allowReset(email)]).toEqual([true, true, false]);
  });
});
