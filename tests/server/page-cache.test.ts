import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { Redis } from 'ioredis';
import { tenantPrefix } from '../../src/site/cache-keys.ts';
import { eventually } from '../support/eventually.ts';
import { publishAs } from '../support/publish.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { readCounter, request, startServer, type RunningServer } from '../support/server-process.ts';

const home = (headline: string) => ({ path: '/', title: headline, sections: [{ type: 'hero', props: { title: headline } }] });

describe('rendered-page cache', () => {
  const dbs = openTestDatabases(2);
  const servers: RunningServer[] = [];
  let env: Record<string, string>;
  let tenant: { id: string; slug: string };
  const host = () => `${tenant.slug}.localhost`;
  const renders = (server: RunningServer) => readCounter(server, 'mosaic_page_renders_total');

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    await publishAs(dbs.app, tenant.id, home('Version one'));
    env = {
      DATABASE_URL: inject('appDatabaseUrl'),
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: `pc${randomBytes(3).toString('hex')}:`,
      INTERNAL_PORT: '0',
      TENANT_TTL_SECONDS: '600',
      VERSION_CHECK_MS: '200',
    };
    servers.push(await startServer(env));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await dbs.close();
  });

  test('the first view renders; the next is answered from the cache without rendering', async () => {
    const [server] = servers as [RunningServer];
    const first = await request(server.port, '/', { host: host() });
    expect(first.status).toBe(200);
    expect(first.headers['x-mosaic-cache']).toBe('miss');
    const before = await renders(server);
    const second = await request(server.port, '/?utm_source=newsletter', { host: host() });
    expect(second.headers['x-mosaic-cache']).toBe('hit');
    expect(second.body).toBe(first.body);
    expect(await renders(server)).toBe(before);
  });

  test('ETag and If-None-Match give 304, on a hit and on a render', async () => {
    const [server] = servers as [RunningServer];
    const page = await request(server.port, '/', { host: host() });
    const etag = page.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const revalidated = await request(server.port, '/', { host: host(), headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBe('');
    expect(revalidated.headers.etag).toBe(etag);
    const other = await request(server.port, '/', { host: host(), headers: { 'if-none-match': '"something-else"' } });
    expect(other.status).toBe(200);
    const fresh = await request(server.port, '/about-us', { host: host(), headers: { 'if-none-match': '"nope"' } });
    expect(fresh.status).toBe(404);
    const notFoundAgain = await request(server.port, '/about-us', { host: host(), headers: { 'if-none-match': fresh.headers.etag as string } });
    expect(notFoundAgain.status).toBe(304);
  });

  test("a HEAD on a miss stores nothing: the next GET gets the tenant's own not-found page, rendered", async () => {
    const [server] = servers as [RunningServer];
    const path = `/never-${randomBytes(3).toString('hex')}`;
    const head = await request(server.port, path, { host: host(), method: 'HEAD' });
    expect(head.status).toBe(404);
    expect(head.headers['cache-control']).toBe('no-store');
    const get = await request(server.port, path, { host: host() });
    expect(get.status).toBe(404);
    expect(get.headers['x-mosaic-cache']).toBe('miss');
    expect(get.body).toContain(`Tenant ${tenant.slug}`);
    const again = await request(server.port, path, { host: host(), method: 'HEAD' });
    expect(again.headers['x-mosaic-cache']).toBe('hit');
  });

  test('CDN headers: s-maxage, stale-while-revalidate and a per-site surrogate key that reveals no internal id', async () => {
    const [server] = servers as [RunningServer];
    const page = await request(server.port, '/', { host: host() });
    expect(page.headers['cache-control']).toMatch(/public, max-age=0, must-revalidate, s-maxage=\d+, stale-while-revalidate=\d+/);
    expect(page.headers['surrogate-key']).toBe(`mosaic mosaic-site-${tenant.slug}`);
    expect(page.headers['surrogate-key']).not.toContain(tenant.id);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  test('CDN max-age follows the page-cache policy', async () => {
    const [server] = servers as [RunningServer];
    const blog = await request(server.port, '/blog', { host: 'darkflows.localhost' });
    expect(blog.status).toBe(200);
    expect(Number(/s-maxage=(\d+)/.exec(blog.headers['cache-control'] as string)?.[1])).toBe(60);
  });

  test('form answers are never cached', async () => {
    const [server] = servers as [RunningServer];
    const before = await renders(server);
    for (let i = 0; i < 2; i++) {
      const sent = await request(server.port, '/contact?contact=sent', { host: 'clientsite.localhost' });
      expect(sent.status).toBe(200);
      expect(sent.headers['cache-control']).toBe('no-store');
      expect(sent.headers['x-mosaic-cache']).toBeUndefined();
      expect(sent.body).toContain('role="status"');
    }
    expect(await renders(server)).toBe(before + 2);
    const post = await request(server.port, '/_mosaic/forms/contact', {
      host: 'clientsite.localhost',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=A&email=a%40example.com&message=hi&page=%2Fcontact',
    });
    expect(post.headers['cache-control']).toBe('no-store');
  });

  test('a new instance starts warm from Redis', async () => {
    await request(servers[0]!.port, '/', { host: host() });
    // The first answer does not wait for the Redis write; the page is shared right after it.
    const redis = new Redis(inject('redisUrl'));
    const shared = await eventually(() => redis.keys(`${env.REDIS_PREFIX}page:${tenantPrefix(tenant.id)}*html:/`), (keys) => keys.length > 0, 5000);
    await redis.quit();
    expect(shared).toHaveLength(1);
    const fresh = await startServer(env);
    servers.push(fresh);
    const page = await request(fresh.port, '/', { host: host() });
    expect(page.headers['x-mosaic-cache']).toBe('hit');
    expect(await renders(fresh)).toBe(0);
  });

  test('a publish makes the old page unreachable on every instance', async () => {
    for (const server of servers) expect((await request(server.port, '/', { host: host() })).headers['x-mosaic-cache']).toBe('hit');
    const { createAppContext } = await import('../../src/app/create-app-context.ts');
    const { loadConfig } = await import('../../src/config/config.ts');
    const publisher = await createAppContext(loadConfig({ ...env, LOG_LEVEL: 'silent', INTERNAL_PORT: '', JOB_POLL_MS: '0' }));
    try {
      await publishAs(publisher.db, tenant.id, home('Version two'), { notify: publisher.notify });
    } finally {
      await publisher.close();
    }
    const deadline = Date.now() + 1000;
    for (const server of servers) {
      let body = (await request(server.port, '/', { host: host() })).body;
      while (!body.includes('Version two') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        body = (await request(server.port, '/', { host: host() })).body;
      }
      expect(body).toContain('Version two');
      expect(body).not.toContain('Version one');
    }
  });

  test('a lost invalidation message leaves an instance stale for about a second at most', async () => {
    const { Redis } = await import('ioredis');
    const { changeLogKey } = await import('../../src/app/site-notifier.ts');
    const { tenantKey } = await import('../../src/site/cache-keys.ts');
    const redis = new Redis(inject('redisUrl'));
    const prefix = env.REDIS_PREFIX!;
    const [server] = servers as [RunningServer];
    try {
      expect((await request(server.port, '/', { host: host() })).body).toContain('Version two');
      // Everything a publisher does, except that the pub/sub message never arrives.
      const lossy = async (change: { tenantId: string; siteVersion: number; reason: string }) => {
        await redis.xadd(changeLogKey(prefix), '*', 'change', JSON.stringify({ ...change, origin: 'test' }));
        await redis.del(`${prefix}${tenantKey(change.tenantId)}`);
      };
      await publishAs(dbs.app, tenant.id, home('Version three'), { notify: lossy });
      const started = Date.now();
      let body = '';
      while (!body.includes('Version three') && Date.now() - started < 3000) {
        body = (await request(server.port, '/', { host: host() })).body;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(body).toContain('Version three');
      // VERSION_CHECK_MS is 200 here; the default of 1000 bounds staleness at about a second.
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await redis.quit();
    }
  });
});
