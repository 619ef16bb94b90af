import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestUser } from '../support/accounts.ts';
import { ApiClient, startApiServer } from '../support/api-client.ts';
import { createTestApiKey } from '../support/api-fixtures.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import type { RunningServer } from '../support/server-process.ts';

const LIMIT = 6;

describe('API rate limits', () => {
  const dbs = openTestDatabases();
  const servers: RunningServer[] = [];
  let site: { id: string; slug: string };

  beforeAll(async () => {
    site = await createTestTenant(dbs.admin);
    // Two instances on one Redis prefix: the allowance is shared, not per process.
    const env = { API_RATE_LIMIT_PER_MINUTE: String(LIMIT), REDIS_PREFIX: `ratelimit${randomBytes(4).toString('hex')}:` };
    servers.push(...(await Promise.all([startApiServer(env), startApiServer(env)])));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await dbs.close();
  });

  test('each key has its own allowance per minute, shared by every instance; past it, 429 with Retry-After, and another key is unaffected', async () => {
    const [a, b] = await Promise.all([
      createTestApiKey(dbs.admin, { tenantId: site.id, role: 'viewer' }),
      createTestApiKey(dbs.admin, { tenantId: site.id, role: 'viewer' }),
    ]);
    const first = ApiClient.withKey(servers[0]!.port, a.key);
    const onSecond = ApiClient.withKey(servers[1]!.port, a.key);
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) statuses.push((await (i % 2 ? onSecond : first).call('GET', `/tenants/${site.slug}`)).status);
    expect(statuses).toEqual([...Array(LIMIT).fill(200), 429, 429]);
    const refused = await first.call('GET', `/tenants/${site.slug}`);
    expect(refused.json).toMatchObject({ code: 'RateLimited', status: 429 });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await ApiClient.withKey(servers[0]!.port, b.key).call('GET', `/tenants/${site.slug}`)).status).toBe(200);
  });

  test('a person is limited across all their sessions', async () => {
    const password = 'rate limited passphrase 1';
    const { email } = await createTestUser(dbs.admin, { password });
    const laptop = new ApiClient(servers[0]!.port);
    expect((await laptop.signIn(email, password)).status).toBe(200);
    const phone = new ApiClient(servers[0]!.port);
    expect((await phone.signIn(email, password)).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) statuses.push((await (i % 2 ? laptop : phone).call('GET', '/me')).status);
    expect(statuses).toEqual([...Array(LIMIT).fill(200), 429]);
  });
});
