import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { ADMIN_HOST, ApiClient } from '../support/api-client.ts';
import { createTestApiKey } from '../support/api-fixtures.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { publishAs } from '../support/publish.ts';
import { readCounter, request, startServer, type RunningServer, type SimpleResponse } from '../support/server-process.ts';

// Two instances on one Redis (a private one, killed in the last test). A minute-long window keeps
// every count inside one window however slow the machine: a rate of 0.1 a second with a burst of
// 60 seconds is a budget of 6 per minute, and 0.05 one of 3.
const BURST_SECONDS = '60';
const BUDGET = 6;
const SMALL_BUDGET = 3;

describe('per-tenant limits on origin work, shared by two instances', () => {
  const dbs = openTestDatabases(2);
  let redis: PrivateRedis;
  const servers: RunningServer[] = [];

  /** A site of its own per test, with its own budget: `rate` origin requests a second. */
  async function siteWithRate(rate: number) {
    const site = await createTestTenant(dbs.admin);
    await publishAs(dbs.app, site.id, { path: '/', title: 'Home', sections: [{ type: 'hero', props: { title: 'Home' } }] });
    await sql`UPDATE tenants SET plan_overrides = ${JSON.stringify({ limits: { originRequestsPerSecond: rate } })}::jsonb WHERE id = ${site.id}`.execute(dbs.admin);
    return { ...site, host: `${site.slug}.localhost` };
  }
  const get = (i: number, host: string, path: string) => request(servers[i % 2]!.port, path, { host });
  const cold = (i: number, host: string) => get(i, host, `/cold-${i}-${randomBytes(3).toString('hex')}`);

  /** Uncached paths, alternating between the instances, until the first 429 (at most `max`). */
  async function renderUntilLimited(host: string, max: number): Promise<{ served: number; refused: SimpleResponse | null }> {
    for (let i = 0; i < max; i++) {
      const res = await cold(i, host);
      if (res.status === 429) return { served: i, refused: res };
    }
    return { served: max, refused: null };
  }
  const expectRefusal = (res: SimpleResponse | null) => {
    expect(res?.status).toBe(429);
    const retryAfter = res?.headers['retry-after'];
    expect(retryAfter).toMatch(/^[1-9][0-9]*$/);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    expect(res?.headers['cache-control']).toBe('no-store');
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const env = {
      DATABASE_URL: inject('appDatabaseUrl'),
      REDIS_URL: redis.url,
      REDIS_PREFIX: `orl${randomBytes(3).toString('hex')}:`,
      REDIS_CONNECT_TIMEOUT_MS: '500',
      REDIS_COMMAND_TIMEOUT_MS: '200',
      ADMIN_HOST,
      ORIGIN_LIMITS: 'on',
      ORIGIN_BURST_SECONDS: BURST_SECONDS,
      INTERNAL_PORT: '0',
    };
    servers.push(...(await Promise.all([startServer(env), startServer(env)])));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await redis?.stop();
    await dbs.close();
  });

  test('renders split across both instances stop at the shared budget: 429 with Retry-After and a plain page', async () => {
    const site = await siteWithRate(0.1);
    const { served, refused } = await renderUntilLimited(site.host, BUDGET * 2);
    expect(served).toBe(BUDGET);
    expectRefusal(refused);
    expect(refused?.headers['content-type']).toMatch(/^text\/html/);
    expect(refused?.body).toContain('Too many requests');
    // Both instances now refuse: the count is one, not one each.
    for (const i of [0, 1]) expectRefusal(await cold(i, site.host));
    // Another site on the same instances is untouched.
    const other = await siteWithRate(0.1);
    expect((await get(0, other.host, '/')).status).toBe(200);
    // Limited renders are counted without a tenant label.
    expect(await readCounter(servers[0]!, 'mosaic_origin_limit_total', 'outcome="limited"')).toBeGreaterThan(0);
  });

  test('cached pages are served while the site’s budget is spent', async () => {
    const site = await siteWithRate(0.1);
    // Warm the home page on both instances, then spend the rest of the budget on cold paths.
    for (const i of [0, 1]) expect((await get(i, site.host, '/')).status).toBe(200);
    const { refused } = await renderUntilLimited(site.host, BUDGET * 2);
    expectRefusal(refused);
    for (let i = 0; i < 10; i++) {
      const hit = await get(i, site.host, '/');
      expect(hit.status).toBe(200);
      expect(hit.headers['x-mosaic-cache']).toBe('hit');
    }
  });

  test('contact-form posts spend the site’s budget too, whichever instance takes them', async () => {
    const site = await siteWithRate(0.05);
    const body = new URLSearchParams({ name: 'Ada', email: 'ada@example.com', message: 'hello', page: '/' }).toString();
    const post = (i: number) =>
      request(servers[i % 2]!.port, '/_mosaic/forms/contact', {
        host: site.host,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
        body,
      });
    // Fewer than the per-client allowance (5), so only the site's budget can refuse.
    const statuses: number[] = [];
    for (let i = 0; i <= SMALL_BUDGET; i++) statuses.push((await post(i)).status);
    expect(statuses).toEqual([...Array(SMALL_BUDGET).fill(303), 429]);
    expectRefusal(await post(SMALL_BUDGET + 1));
  });

  test('site-scoped API calls spend the site’s budget; calls outside a site do not', async () => {
    const site = await siteWithRate(0.05);
    const { key } = await createTestApiKey(dbs.admin, { tenantId: site.id, role: 'viewer' });
    const clients = servers.map((s) => ApiClient.withKey(s.port, key));
    const statuses: number[] = [];
    for (let i = 0; i <= SMALL_BUDGET; i++) statuses.push((await clients[i % 2]!.call('GET', `/tenants/${site.slug}/pages`)).status);
    expect(statuses).toEqual([...Array(SMALL_BUDGET).fill(200), 429]);
    const refused = await clients[0]!.call('GET', `/tenants/${site.slug}`);
    expect(refused.json).toMatchObject({ code: 'SiteRateLimited', status: 429 });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await clients[1]!.call('GET', '/me')).status).toBe(200);
  });

  test('with Redis gone each instance keeps a limit of its own, and nothing hangs or fails', async () => {
    await redis.kill();
    const site = await siteWithRate(0.1);
    for (const i of [0, 1]) {
      const served: number[] = [];
      let refused: SimpleResponse | null = null;
      for (let n = 0; n < BUDGET * 2 && !refused; n++) {
        const res = await cold(i + 2 * n, site.host);
        if (res.status === 429) refused = res;
        else served.push(res.status);
      }
      // Each instance allows the whole budget on its own count, then refuses.
      expect(served).toEqual(Array(BUDGET).fill(404));
      expectRefusal(refused);
    }
  });
});
